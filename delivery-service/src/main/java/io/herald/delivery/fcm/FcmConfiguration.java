package io.herald.delivery.fcm;

import io.herald.delivery.provider.ProviderGroup;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** One {@link FcmPushProvider} per configured Firebase project. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(FcmProperties.class)
class FcmConfiguration {

	@Bean(destroyMethod = "close")
	ProviderGroup fcmProviders(FcmProperties properties) {
		return ProviderGroup.of(properties.providers().stream().map(FcmPushProvider::new).toList());
	}

}
