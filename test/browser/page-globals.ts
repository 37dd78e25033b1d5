/**
 * The little of the DOM that the browser suites' in-page callbacks touch. The project compiles
 * for Node without the DOM library (adding it would retype fetch and Uint8Array everywhere), so
 * a suite declares these where it runs code in the page: `declare const document: PageDocument`.
 */
export interface PageElement {
  readonly tagName: string;
  readonly id: string;
  readonly textContent: string | null;
  readonly parentElement: PageElement | null;
  readonly children: ArrayLike<PageElement>;
  readonly classList: { contains(name: string): boolean };
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { readonly width: number; readonly height: number };
  blur(): void;
}

export interface PageDocument {
  readonly activeElement: PageElement | null;
  readonly body: PageElement;
}

export interface PageStyle {
  readonly outlineStyle: string;
  readonly outlineWidth: string;
  readonly boxShadow: string;
}

export interface PageWindow {
  scrollTo(x: number, y: number): void;
}
