/**
 * Activity failure types that mean "these arguments can never succeed": the activities throw
 * them as non-retryable ApplicationFailures, the workflow's retry policy never retries them,
 * and the workflow answers the command as `invalid_argument` instead. No I/O: workflow code
 * imports this module.
 */
export const BAD_DATA = 'bad_data';
export const INVALID_ARGUMENT = 'invalid_argument';
export const NON_RETRYABLE_TYPES: readonly string[] = [BAD_DATA, INVALID_ARGUMENT];
