package io.herald.delivery.email;

import io.herald.delivery.provider.ProviderGroup;
import io.herald.support.unsubscribe.UnsubscribeLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One {@link SmtpEmailProvider} per configured relay, each adding the unsubscribe headers
 * of {@link UnsubscribeHeaders}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SmtpProperties.class)
class EmailConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(EmailConfiguration.class);

	@Bean(destroyMethod = "close")
	ProviderGroup emailProviders(SmtpProperties properties, UnsubscribeLinks links) {
		UnsubscribeHeaders unsubscribe = new UnsubscribeHeaders(links);
		if (!properties.providers().isEmpty() && !unsubscribe.enabled()) {
			logger.warn("Email goes out without List-Unsubscribe headers: set herald.unsubscribe.signing-key and "
					+ "herald.unsubscribe.base-url (docs/configuration.md); large mailbox providers expect them");
		}
		return ProviderGroup
			.of(properties.providers().stream().map((relay) -> new SmtpEmailProvider(relay, unsubscribe)).toList());
	}

}
