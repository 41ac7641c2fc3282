package io.herald.gateway.session;

import io.herald.gateway.auth.UserTokens;
import io.herald.support.web.ProblemWriter;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.websocket.core.Configuration.ConfigurationCustomizer;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * Serves {@code /v1/ws} on Jetty's WebSocket core, in front of the servlet stack
 * ({@link WebSocketUpgrades}), and sizes it for many small, long-lived connections.
 */
@Configuration(proxyBeanMethods = false)
class WebSocketConfiguration {

	/**
	 * How many connections may wait to be accepted while the gateway is busy (a reconnect
	 * storm).
	 */
	static final int ACCEPT_QUEUE = 1000;

	/**
	 * Puts the WebSocket upgrades in front of the servlet stack. The beans they need are
	 * looked up at the first upgrade: the web server is made before them.
	 */
	@Bean
	static JettyServerCustomizer webSocketUpgrades(ObjectProvider<Sessions> sessions, ObjectProvider<UserTokens> tokens,
			ObjectProvider<SessionProperties> properties, ObjectProvider<ProblemWriter> problems,
			ObjectProvider<SessionMetrics> metrics) {
		return (server) -> {
			Handler servlets = server.getHandler();
			if (servlets == null) {
				throw new IllegalStateException("The servlet stack must be in place before the WebSocket upgrades");
			}
			server.setHandler(new WebSocketUpgrades(servlets, () -> {
				SessionProperties settings = properties.getObject();
				return new WebSocketUpgrades.Endpoint(sessions.getObject(), tokens.getObject(),
						new UpgradeChecks(settings.allowedOrigins()), connectionSettings(settings),
						settings.sendTimeout().toMillis(), problems.getObject(), metrics.getObject());
			}));
			for (Connector connector : server.getConnectors()) {
				if (connector instanceof ServerConnector serverConnector) {
					serverConnector.setAcceptQueueSize(ACCEPT_QUEUE);
				}
			}
		};
	}

	/**
	 * What every WebSocket is opened with: client messages as large as
	 * {@code maxFrameSize} (a larger one closes the connection with {@code 1009}), read
	 * and write buffers of {@code ioBufferSize}, held only while data passes, and an idle
	 * timeout of three heartbeats as a backstop: a session closes a connection that was
	 * silent for two itself.
	 */
	static ConfigurationCustomizer connectionSettings(SessionProperties properties) {
		ConfigurationCustomizer settings = new ConfigurationCustomizer();
		long maxMessage = properties.maxFrameSize().toBytes();
		settings.setMaxTextMessageSize(maxMessage);
		settings.setMaxBinaryMessageSize(maxMessage);
		settings.setMaxFrameSize(maxMessage);
		int buffer = (int) properties.ioBufferSize().toBytes();
		settings.setInputBufferSize(buffer);
		settings.setOutputBufferSize(buffer);
		settings.setIdleTimeout(properties.heartbeat().multipliedBy(3).plus(Duration.ofSeconds(1)));
		return settings;
	}

}
