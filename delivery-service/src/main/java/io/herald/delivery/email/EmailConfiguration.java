package io.herald.delivery.email;

import io.herald.delivery.provider.ProviderGroup;
import io.herald.delivery.receipt.ReceiptChannel;
import io.herald.delivery.receipt.ReceiptMetrics;
import io.herald.delivery.receipt.ReceiptRecorder;
import io.herald.events.Channel;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import io.herald.support.unsubscribe.UnsubscribeLinks;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One {@link SmtpEmailProvider} per configured relay, each adding the unsubscribe headers
 * of {@link UnsubscribeHeaders}; with a bounce address, messages go out with its VERP
 * form as envelope sender and the bounce mailbox is read.
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
		String address = properties.bounces().address();
		BounceAddress bounces = (address != null) ? new BounceAddress(address) : null;
		return ProviderGroup.of(properties.providers()
			.stream()
			.map((relay) -> new SmtpEmailProvider(relay, bounces, unsubscribe))
			.toList());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty("herald.delivery.smtp.bounces.address")
	static class Bounces {

		/** Email sends get receipts: bounces and complaints. */
		@Bean
		ReceiptChannel emailReceipts() {
			return new ReceiptChannel(Channel.EMAIL);
		}

		@Bean
		BounceMailbox bounceMailbox(SmtpProperties properties, ReceiptRecorder recorder, ReceiptMetrics metrics) {
			SmtpProperties.Bounces bounces = properties.bounces();
			return new BounceMailbox(bounces.mailbox(), new BounceAddress(String.valueOf(bounces.address())), recorder,
					metrics);
		}

	}

}
