package io.herald.gateway.sse;

import io.herald.gateway.session.CloseReason;
import io.herald.gateway.session.Connection;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

import java.io.IOException;

/**
 * A session's SSE stream: every frame is one event's {@code data}, in the default
 * {@code message} event type so that {@code EventSource.onmessage} gets them all; a
 * notification's event also carries its seq as {@code id}, so the browser's automatic
 * reconnect resumes with {@code Last-Event-ID}. Heartbeats are comments.
 */
final class SseConnection implements Connection {

	private final SseEmitter emitter;

	SseConnection(SseEmitter emitter) {
		this.emitter = emitter;
	}

	@Override
	public String transport() {
		return "sse";
	}

	@Override
	public void send(String frame) throws IOException {
		this.emitter.send(SseEmitter.event().data(frame));
	}

	@Override
	public void sendNotification(long seq, String frame) throws IOException {
		this.emitter.send(SseEmitter.event().id(Long.toString(seq)).data(frame));
	}

	@Override
	public void sendHeartbeat() throws IOException {
		this.emitter.send(SseEmitter.event().comment("heartbeat"));
	}

	@Override
	public boolean receives() {
		return false;
	}

	@Override
	public void close(CloseReason reason) {
		this.emitter.complete();
	}

}
