package io.herald.support.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;

import java.io.IOException;
import java.io.Writer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Answers the errors Tomcat raises itself, before any filter or servlet runs (a request target
 * with {@code %00} or bytes that are not UTF-8, a header over the limit), with the same problem
 * detail JSON as the rest of the API instead of Tomcat's HTML error page. Nothing about the
 * server or the failure is revealed: no version, no stack trace, no exception message.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

	public ProblemErrorReportValve() {
		setShowReport(false);
		setShowServerInfo(false);
	}

	@Override
	protected void report(Request request, Response response, @Nullable Throwable throwable) {
		int status = response.getStatus();
		if (status < 400 || response.getContentWritten() > 0) {
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		try {
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(json(status));
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException ex) {
			// The client is gone or the response cannot take a body any more: nothing to tell.
		}
	}

	/** The problem detail of a status Tomcat answered on its own. */
	static String json(int status) {
		ErrorCode code = codeOf(status);
		if (code == null) {
			return "{\"type\":\"about:blank\",\"title\":\"HTTP " + status + "\",\"status\":" + status
					+ ",\"detail\":\"The web server refused the request.\"}";
		}
		return "{\"type\":\"urn:herald:problem:" + code.code() + "\",\"title\":\"" + code.problem("").getTitle()
				+ "\",\"status\":" + status + ",\"detail\":\"" + detail(code) + "\",\"code\":\"" + code.code()
				+ "\"}";
	}

	private static @Nullable ErrorCode codeOf(int status) {
		return switch (status) {
			// Tomcat's own 400s are about the request line: a target it cannot decode or parse.
			case 400 -> ErrorCode.INVALID_REQUEST_TARGET;
			case 404 -> ErrorCode.NOT_FOUND;
			case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
			case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
			case 500 -> ErrorCode.INTERNAL;
			case 503 -> ErrorCode.SERVICE_UNAVAILABLE;
			default -> null;
		};
	}

	private static String detail(ErrorCode code) {
		return switch (code) {
			case INVALID_REQUEST_TARGET -> "The web server could not read the request line or its headers.";
			case PAYLOAD_TOO_LARGE -> "The request is larger than the web server accepts.";
			default -> "The web server refused the request.";
		};
	}

}
