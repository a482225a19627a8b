import { M3terConfigError } from '../model/errors.js';

/** An error the emulator answers with: `status` and a body of `{"message": ...}`, as m3ter does. */
export class EmulatorHttpError extends M3terConfigError {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  constructor(status: number, message: string, headers: Record<string, string> = {}) {
    super(`emulator_http_${status}`, message, { status });
    this.status = status;
    this.headers = headers;
  }
}

export const badRequest = (message: string): EmulatorHttpError => new EmulatorHttpError(400, message);
export const forbidden = (message: string): EmulatorHttpError => new EmulatorHttpError(403, message);
export const notFound = (message: string): EmulatorHttpError => new EmulatorHttpError(404, message);
