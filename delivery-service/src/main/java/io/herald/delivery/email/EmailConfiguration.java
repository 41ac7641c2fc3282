package io.herald.delivery.email;

import io.herald.delivery.provider.ProviderGroup;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One {@link SmtpEmailProvider} per configured relay. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(SmtpProperties.class)
class EmailConfiguration {

	@Bean(destroyMethod = "close")
	ProviderGroup emailProviders(SmtpProperties properties) {
		return ProviderGroup.of(properties.providers().stream().map(SmtpEmailProvider::new).toList());
	}

}
