package io.herald.support.web;

import org.apache.catalina.Container;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

/**
 * For a service on Tomcat, imported by {@link RequestFirewallAutoConfiguration}: leaves
 * the judgement of request targets to the {@link RequestFirewallFilter} (Tomcat would
 * answer an encoded slash or backslash with a bare {@code 400} of its own; passed
 * through, the firewall answers it with a problem detail or, where a service allows
 * encoded slashes, lets it reach the path variable it belongs to), and answers what
 * Tomcat still refuses itself with problem JSON.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(TomcatConnectorCustomizer.class)
class TomcatRefusalsConfiguration {

	@Bean
	TomcatConnectorCustomizer encodedSlashesToTheFirewall() {
		return (connector) -> {
			connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
			connector.setEncodedReverseSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue());
		};
	}

	/**
	 * Replaces Tomcat's HTML error page with {@link ProblemErrorReportValve}, for what
	 * Tomcat refuses before the firewall runs. Ordered last, so it replaces the valve
	 * Spring Boot adds.
	 */
	@Bean
	ProblemErrorReports problemErrorReports() {
		return new ProblemErrorReports();
	}

	static final class ProblemErrorReports
			implements WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory>, Ordered {

		@Override
		public int getOrder() {
			return Ordered.LOWEST_PRECEDENCE;
		}

		@Override
		public void customize(ConfigurableTomcatWebServerFactory factory) {
			factory.addContextCustomizers((context) -> {
				Container host = context.getParent();
				if (host == null) {
					return;
				}
				for (Valve valve : host.getPipeline().getValves()) {
					if (valve instanceof ErrorReportValve) {
						host.getPipeline().removeValve(valve);
					}
				}
				if (host instanceof StandardHost standardHost) {
					standardHost.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
				}
				host.getPipeline().addValve(new ProblemErrorReportValve());
			});
		}

	}

}
