package io.herald.gateway.session;

import io.herald.support.web.ProblemWriter;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
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

	/**
	 * The size of the frame reader's input buffer and the frame writer's output and encoder
	 * buffers of every WebSocket session: a system property that Tomcat reads once, when its
	 * WebSocket classes load at the server's start.
	 */
	static final String WEBSOCKET_BUFFER_SIZE_PROPERTY = "org.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE";

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

	/**
	 * Sizes the buffers every connection holds for as long as it is open, idle or not (five of
	 * 8 KiB each by Tomcat's defaults, most of an idle connection's memory): the socket's read and
	 * write buffers here, and the WebSocket session's three before the server starts.
	 */
	@Bean
	TomcatConnectorCustomizer connectionBuffers() {
		String size = Long.toString(this.properties.ioBufferSize().toBytes());
		return (connector) -> {
			connector.setProperty("socket.appReadBufSize", size);
			connector.setProperty("socket.appWriteBufSize", size);
			System.setProperty(WEBSOCKET_BUFFER_SIZE_PROPERTY, size);
		};
	}

}
