package io.herald.delivery.sms;

import io.herald.delivery.provider.ProviderGroup;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One {@link TwilioSmsProvider} per configured Twilio account. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TwilioProperties.class)
class SmsConfiguration {

	@Bean(destroyMethod = "close")
	ProviderGroup smsProviders(TwilioProperties properties) {
		return ProviderGroup.of(properties.providers().stream().map(TwilioSmsProvider::new).toList());
	}

}
