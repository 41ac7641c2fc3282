package io.herald.routing.unsubscribe;

import io.herald.support.unsubscribe.UnsubscribeLinks;
import io.herald.support.web.PublicPaths;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The unsubscribe links' path is public: mailbox providers and recipients send no API key
 * (RFC 8058 forbids any credential but the link itself). Being public, it passes none of
 * the API filters: the body limit is {@link OneClickBody}'s own.
 */
@Configuration(proxyBeanMethods = false)
class UnsubscribeConfiguration {

	@Bean
	PublicPaths publicPaths() {
		return PublicPaths.of(UnsubscribeLinks.PATH);
	}

	@Bean
	UnsubscribeMetrics unsubscribeMetrics(MeterRegistry meters) {
		return new UnsubscribeMetrics(meters);
	}

}
