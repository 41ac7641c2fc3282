package io.herald.delivery.apns;

import io.herald.delivery.provider.ProviderGroup;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One {@link ApnsPushProvider} per configured APNs account. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ApnsProperties.class)
class ApnsConfiguration {

	@Bean(destroyMethod = "close")
	ProviderGroup apnsProviders(ApnsProperties properties) {
		return ProviderGroup.of(properties.providers().stream().map(ApnsPushProvider::new).toList());
	}

}
