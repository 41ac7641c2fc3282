package io.herald.support.unsubscribe;

import java.time.Clock;

import io.herald.support.ClockAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Signed unsubscribe links ({@code herald.unsubscribe.*}): the {@link UnsubscribeLinks}
 * delivery signs them with and routing checks them with. Always present; without a
 * signing key it makes no links and refuses every token.
 */
@AutoConfiguration(after = ClockAutoConfiguration.class)
@EnableConfigurationProperties(UnsubscribeProperties.class)
public final class UnsubscribeAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	UnsubscribeLinks unsubscribeLinks(UnsubscribeProperties properties, Clock clock) {
		return new UnsubscribeLinks(properties, clock);
	}

}
