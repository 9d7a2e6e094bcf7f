// Stand-in for the two symbols @session.js/mnemonic imports from @session.js/errors (not published
// on the npm registry). Only their shape matters to the cross-check: an Error subclass carrying a code.
export const SessionValidationErrorCode = Object.freeze({ InvalidMnemonic: 'InvalidMnemonic' });

export class SessionValidationError extends Error {
  constructor({ code, message }) {
    super(message);
    this.name = 'SessionValidationError';
    this.code = code;
  }
}
