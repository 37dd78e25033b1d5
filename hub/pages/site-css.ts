/**
 * The pages' one stylesheet, served at /assets/site.css (the CSP allows styles from the hub
 * itself and no inline style). Colours keep text at WCAG AA contrast or better; the focus ring is
 * always visible, since every page must work with the keyboard alone.
 */
export const SITE_CSS = `
:root { color-scheme: light; --ink: #1b1f24; --muted: #4a525c; --line: #c9ced6; --accent: #0b4f8a;
  --bar: #2f6fb0; --bar-muted: #8a95a3; --bg: #ffffff; --panel: #f3f5f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif;
  color: var(--ink); background: var(--bg); }
a { color: var(--accent); }
a:focus-visible, button:focus-visible, select:focus-visible, input:focus-visible, summary:focus-visible {
  outline: 3px solid #c25400; outline-offset: 2px; }
.skip { position: absolute; left: -9999px; top: 0; background: var(--ink); color: #fff; padding: .5rem 1rem; }
.skip:focus { left: 1rem; }
header.site { background: var(--ink); color: #fff; padding: .75rem 1.5rem; }
header.site a { color: #fff; }
header.site .brand { font-weight: 700; font-size: 1.15rem; text-decoration: none; }
nav.site ul { list-style: none; margin: .5rem 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 1.25rem; }
nav.site a[aria-current="page"] { font-weight: 700; text-decoration-thickness: 3px; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
h1 { font-size: 1.75rem; margin: .5rem 0 1rem; }
h2 { font-size: 1.3rem; margin: 2rem 0 .75rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; }
.lead { color: var(--muted); max-width: 48rem; }
.facts { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: .75rem; padding: 0; margin: 1rem 0; }
.facts div { background: var(--panel); border: 1px solid var(--line); border-radius: 6px; padding: .6rem .8rem; }
.facts dt { color: var(--muted); font-size: .85rem; }
.facts dd { margin: 0; font-size: 1.2rem; font-weight: 600; }
figure.chart { margin: 1rem 0 1.5rem; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figure.chart figcaption { font-weight: 600; margin-bottom: .5rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; min-width: 20rem; }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid var(--line); padding: .3rem .75rem .3rem 0; text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.suppressed { color: var(--muted); font-style: italic; }
.notice { background: #fff7e0; border-left: 4px solid #a86b00; padding: .75rem 1rem; margin: 1rem 0; }
.downloads a { margin-right: 1rem; }
pre.note { background: var(--panel); border: 1px solid var(--line); padding: .75rem; overflow-x: auto; font-size: .85rem; }
form.filters { display: flex; flex-wrap: wrap; gap: 1rem; align-items: end; margin: 1rem 0; }
form.filters label { display: flex; flex-direction: column; font-size: .9rem; color: var(--muted); }
select, button { font: inherit; padding: .3rem .5rem; }
button { background: var(--accent); color: #fff; border: 0; border-radius: 4px; padding: .4rem 1rem; cursor: pointer; }
nav.pager ul { list-style: none; display: flex; gap: 1rem; padding: 0; }
footer.site { border-top: 1px solid var(--line); color: var(--muted); padding: 1rem 1.5rem; font-size: .9rem; }
footer.site p { max-width: 62rem; margin: 0 auto; }
`;
