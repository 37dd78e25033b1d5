/**
 * Choosing the ristretto255 backend (./group.ts): `libsodium` when its WebAssembly module
 * loads, noble otherwise. The choice changes speed only: both give byte-identical evaluations
 * and proofs (crypto/oprf/group.test.ts checks it on random inputs and the RFC 9497 vectors).
 */
import { nobleGroup, type GroupBackendName, type Ristretto255Group } from './group.js';
import { loadLibsodiumGroup } from './group-libsodium.js';

/** `auto`: libsodium if it loads, else noble; a name: that backend or an error. */
export type GroupBackendChoice = 'auto' | GroupBackendName;
export const GROUP_BACKEND_CHOICES: readonly GroupBackendChoice[] = ['auto', 'noble', 'libsodium'];

export interface LoadedGroup {
  readonly group: Ristretto255Group;
  /** Why `auto` fell back to noble (the loader's error message), when it did. */
  readonly fallbackReason?: string;
}

export async function loadGroup(choice: GroupBackendChoice): Promise<LoadedGroup> {
  if (choice === 'noble') return { group: nobleGroup };
  try {
    return { group: await loadLibsodiumGroup() };
  } catch (e) {
    if (choice === 'libsodium') throw e;
    return { group: nobleGroup, fallbackReason: e instanceof Error ? e.message : String(e) };
  }
}
