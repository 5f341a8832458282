package org.pagerless.platform;

/** A failure with an HTTP status a client can act on (404, 403, 409...). */
public class ProblemException extends RuntimeException {
    private final int status;
    private final String title;

    public ProblemException(int status, String title, String detail) {
        super(detail);
        this.status = status;
        this.title = title;
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(404, "Not found", detail);
    }

    public static ProblemException forbidden(String detail) {
        return new ProblemException(403, "Forbidden", detail);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "Conflict", detail);
    }

    public Problem problem() {
        return Problem.of(status, title, getMessage());
    }
}
