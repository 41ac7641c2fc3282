package io.herald.support.web;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The request firewall: the {@link RequestFirewallFilter} that ends every request whose
 * target is not canonical, before any other filter, with the strict
 * {@link RequestFirewall} unless the service declares one of its own; and, for what the
 * web server refuses before any filter runs, the same problem JSON instead of its error
 * page ({@link TomcatRefusalsConfiguration}, {@link JettyRefusalsConfiguration},
 * whichever server the service runs on).
 */
@AutoConfiguration(after = ProblemDetailsAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@Import({ TomcatRefusalsConfiguration.class, JettyRefusalsConfiguration.class })
public final class RequestFirewallAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RequestFirewall requestFirewall() {
		return RequestFirewall.strict();
	}

	@Bean
	RequestFirewallFilter requestFirewallFilter(RequestFirewall firewall, ProblemWriter problems) {
		return new RequestFirewallFilter(firewall, problems);
	}

}
