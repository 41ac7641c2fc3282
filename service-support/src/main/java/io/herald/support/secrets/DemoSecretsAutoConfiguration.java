package io.herald.support.secrets;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Stops a service at start when it holds one of the local stack's demo credentials
 * outside the local stack ({@link DemoSecretsGuard}). Unconditional: no service may turn
 * it off.
 */
@AutoConfiguration
public final class DemoSecretsAutoConfiguration {

	@Bean
	InitializingBean demoSecretsGuard(Environment environment) {
		return () -> DemoSecretsGuard.check(environment);
	}

}
