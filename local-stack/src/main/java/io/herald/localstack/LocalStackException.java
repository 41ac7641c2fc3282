package io.herald.localstack;

/**
 * The local stack cannot start or keep running, for a reason the user can act on; the
 * message is one line meant to be printed as it is, without a stack trace.
 */
public class LocalStackException extends RuntimeException {

	LocalStackException(String message) {
		super(message);
	}

	LocalStackException(String message, Throwable cause) {
		super(message, cause);
	}

}
