package io.herald.gateway.session;

import io.herald.support.web.ProblemWriter;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.server.standard.ServletServerContainerFactoryBean;

/** Serves {@code /v1/ws} and sizes the WebSocket container for many small, long-lived connections. */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
class WebSocketConfiguration implements WebSocketConfigurer {

	private final Sessions sessions;

	private final SessionProperties properties;

	private final ProblemWriter problems;

	WebSocketConfiguration(Sessions sessions, SessionProperties properties, ProblemWriter problems) {
		this.sessions = sessions;
		this.properties = properties;
		this.problems = problems;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		WebSocketSessions handler = new WebSocketSessions(this.sessions, this.properties, this.problems);
		registry.addHandler(handler, "/v1/ws")
			.addInterceptors(handler)
			.setAllowedOriginPatterns(this.properties.allowedOrigins().toArray(String[]::new));
	}

	/**
	 * Client frames are tiny, so the receive buffers are too (a larger frame closes the connection
	 * with {@code 1009}); that keeps an idle connection cheap.
	 */
	@Bean
	ServletServerContainerFactoryBean webSocketContainer() {
		ServletServerContainerFactoryBean container = new ServletServerContainerFactoryBean();
		int maxFrame = (int) this.properties.maxFrameSize().toBytes();
		container.setMaxTextMessageBufferSize(maxFrame);
		container.setMaxBinaryMessageBufferSize(maxFrame);
		container.setAsyncSendTimeout(this.properties.sendTimeout().toMillis());
		return container;
	}

}
