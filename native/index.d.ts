export function open(name: string, size: number, create: boolean): ArrayBuffer;
export function unlink(name: string): boolean;
export function futexWait(i32: Int32Array, index: number, expected: number, timeoutMs: number): 0 | 1 | 2;
export function futexWake(i32: Int32Array, index: number, count: number): number;
export const hasFutex: boolean;
/** Linux: SIGKILL this process when its parent dies (PR_SET_PDEATHSIG); false where unsupported. */
export function dieWithParent(expectedPpid: number): boolean;
