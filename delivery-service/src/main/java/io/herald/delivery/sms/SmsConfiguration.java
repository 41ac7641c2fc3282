package io.herald.delivery.sms;

import io.herald.delivery.provider.ProviderGroup;
import io.herald.delivery.receipt.ReceiptChannel;
import io.herald.delivery.receipt.ReceiptProperties;
import io.herald.events.Channel;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One {@link TwilioSmsProvider} per configured Twilio account, asking for status
 * callbacks when the service has a public base URL.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TwilioProperties.class)
class SmsConfiguration {

	@Bean(destroyMethod = "close")
	ProviderGroup smsProviders(TwilioProperties properties, ReceiptProperties receipts) {
		return ProviderGroup.of(properties.providers()
			.stream()
			.map((account) -> new TwilioSmsProvider(account, TwilioStatusCallbacks.callbackBase(receipts, account)))
			.toList());
	}

	/** SMS sends get receipts: Twilio's status callbacks. */
	@Bean
	@ConditionalOnProperty("herald.delivery.receipts.public-base-url")
	ReceiptChannel smsReceipts() {
		return new ReceiptChannel(Channel.SMS);
	}

}
