package io.herald.gateway.sse;

import io.herald.gateway.auth.CurrentUser;
import io.herald.gateway.auth.UserPrincipal;
import io.herald.gateway.session.ClientSession;
import io.herald.gateway.session.Sessions;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /v1/sse?since=<seq>}: the frames of a WebSocket session as Server-Sent
 * Events. With {@code since}, or the {@code Last-Event-ID} a browser sends when it
 * reconnects (which wins over the {@code since} of the URL it reconnects to), the stream
 * starts with the replay of a {@code resume}; without, with live notifications only. SSE
 * has no way back: clients acknowledge and mark read over HTTP ({@code /v1/inbox/ack},
 * {@code /v1/inbox/read}).
 */
@RestController
class SseController {

	/** The stream stays open until the client, the network or a shutdown ends it. */
	private static final long NO_TIMEOUT = 0L;

	private final Sessions sessions;

	SseController(Sessions sessions) {
		this.sessions = sessions;
	}

	@GetMapping(path = "/v1/sse", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@RequestParam(required = false) @Nullable String since,
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId,
			HttpServletRequest request, HttpServletResponse response) {
		// A browser's EventSource reconnects to the URL it was created with, since
		// included, and adds the id of the last event it received: that one is newer, or
		// the replay would repeat everything since the first connect.
		boolean reconnect = lastEventId != null && !lastEventId.isBlank();
		Long from = reconnect ? Sessions.since(lastEventId, "Last-Event-ID") : Sessions.since(since, "since");
		UserPrincipal user = CurrentUser.of(request);
		String sessionId = this.sessions.admit(user);
		if (sessionId == null) {
			throw new ApiProblemException(ErrorCode.TOO_MANY_CONNECTIONS,
					"The user already holds the most connections allowed; close one first.");
		}
		// Proxies must not buffer the stream.
		response.setHeader("X-Accel-Buffering", "no");
		response.setHeader("Cache-Control", "no-cache");
		SseEmitter emitter = new SseEmitter(NO_TIMEOUT);
		ClientSession session = this.sessions.open(sessionId, user, new SseConnection(emitter), from, true);
		emitter.onCompletion(session::closed);
		emitter.onError((ex) -> session.closed());
		emitter.onTimeout(session::closed);
		return emitter;
	}

}
