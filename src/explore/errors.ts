// Errors of the explorer. Bad input (a model that cannot be explored, a schedule
// that does not fit, an unknown option) is an ExploreInputError that names what was
// wrong and what to do. What a thread does wrong *inside* the model (unlocking a
// lock it does not hold, putting into a closed queue) is a ModelError: it is raised
// inside that thread, as the library would raise it on a real thread, and if the
// thread does not catch it the schedule ends with the outcome "error: …".

/** Input the caller can fix: the message names it and says what to do. */
export class ExploreInputError extends Error {
  override name = "ExploreInputError";
}

/** Raised inside a model thread by a step that the library would refuse (NotOwnerError, ClosedError, RangeError…). */
export class ModelError extends Error {
  /** The library's error class this stands for, e.g. "NotOwnerError". */
  readonly kind: string;
  constructor(kind: string, message: string) {
    super(message);
    this.name = kind;
    this.kind = kind;
  }
}
