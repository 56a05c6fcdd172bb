/**
 * User-facing errors. A HandgapError carries a message that names the file, field or index at fault;
 * the CLI prints it without a stack trace and exits non-zero.
 */
export class HandgapError extends Error {
  constructor(message: string, readonly exitCode = 2) {
    super(message);
    this.name = 'HandgapError';
  }
}

/** Error for input data: `where` names the file (and optionally field/index). */
export class InputError extends HandgapError {
  constructor(readonly where: string, detail: string) {
    super(`${where}: ${detail}`);
    this.name = 'InputError';
  }
}

/** A system dependency (Blender, Chromium, Jupyter, ...) is missing. */
export class MissingDependencyError extends HandgapError {
  constructor(readonly dependency: string, readonly howToInstall: string) {
    super(`missing dependency: ${dependency}. Install it with: ${howToInstall}`, 3);
    this.name = 'MissingDependencyError';
  }
}

export function assertFinite(values: ArrayLike<number>, where: string): void {
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i])) throw new InputError(where, `value at flat index ${i} is ${values[i]} (expected a finite number)`);
  }
}
