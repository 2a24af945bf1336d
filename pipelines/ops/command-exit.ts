/** An error carrying the exit code the command should end with. */
export class CommandExit extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
    this.name = 'CommandExit';
  }
}
