package io.herald.delivery.ledger;

import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/** Started connections to a standalone Redis on this host, for the ledger's own tests. */
final class LedgerConnections {

	private LedgerConnections() {
	}

	static LettuceConnectionFactory standalone(int port) {
		LettuceConnectionFactory factory = new LettuceConnectionFactory(
				new RedisStandaloneConfiguration("127.0.0.1", port));
		factory.afterPropertiesSet();
		factory.start();
		return factory;
	}

}
