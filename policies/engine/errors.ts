/** Input that cannot be judged: a missing folder, a file that is not JSON or YAML, a bad exception. */
export class InputError extends Error {
  constructor(
    /** The file (or folder) at fault, as the user named it or relative to the checked folder. */
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'InputError';
  }
}
