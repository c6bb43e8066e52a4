package org.metagan.serve;

/** A request the dashboard refuses: the HTTP status to answer and a one-line reason shown to the client. */
final class Refused extends RuntimeException {
    final int status;

    Refused(int status, String reason) {
        super(reason);
        this.status = status;
    }

    static Refused badRequest(String reason) {
        return new Refused(400, reason);
    }

    static Refused forbidden(String reason) {
        return new Refused(403, reason);
    }

    static Refused notFound(String reason) {
        return new Refused(404, reason);
    }

    static Refused tooLarge(String reason) {
        return new Refused(413, reason);
    }
}
