package io.herald.support.web;

import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Leaves the judgement of request targets to the {@link RequestFirewallFilter}: Tomcat would
 * answer an encoded slash or backslash with a bare {@code 400} of its own; passed through, the
 * firewall answers
 * it with a problem detail (or, where a service allows encoded slashes, lets it reach the path
 * variable it belongs to).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(TomcatConnectorCustomizer.class)
class RequestFirewallConfiguration {

	@Bean
	TomcatConnectorCustomizer encodedSlashesToTheFirewall() {
		return (connector) -> {
			connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
			connector.setEncodedReverseSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
		};
	}

}
