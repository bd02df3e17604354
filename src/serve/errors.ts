// A request the server refuses: an HTTP status (4xx for the client's mistakes, 503 when the environment could
// not be set up) and one message naming the thing and what to do. The app turns it into {"error": message}.

export type ServeStatus = 400 | 401 | 404 | 409 | 410 | 413 | 429 | 503;

export class ServeError extends Error {
  constructor(
    readonly status: ServeStatus,
    message: string,
  ) {
    super(message);
    this.name = "ServeError";
  }
}
