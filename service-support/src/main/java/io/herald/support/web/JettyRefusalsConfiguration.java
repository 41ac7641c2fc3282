package io.herald.support.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.jetty.JettyServerCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.MediaType;

/**
 * What {@link TomcatRefusalsConfiguration} does for Tomcat, for a service on Jetty,
 * imported by {@link RequestFirewallAutoConfiguration}: what Jetty refuses itself, before
 * any filter runs (a request line it cannot parse, a target its URI compliance finds
 * ambiguous, such as an encoded slash or a {@code ..} segment, a header over the limit),
 * is answered with the same problem JSON as the rest of the API instead of Jetty's error
 * page. Whatever Jetty lets through still meets the {@link RequestFirewallFilter}.
 * {@code TRACE} is refused, as Tomcat refuses it. And every header field reaches the
 * service as the client sent it ({@link #exactHeaderFields}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass({ JettyServerCustomizer.class, ErrorHandler.class })
class JettyRefusalsConfiguration {

	@Bean
	JettyServerCustomizer refusalsAsProblems() {
		return (server) -> {
			server.setErrorHandler(new ProblemErrorHandler());
			server.setHandler(new NoTrace(server.getHandler()));
			for (Connector connector : server.getConnectors()) {
				exactHeaderFields(connector);
			}
		};
	}

	/**
	 * Jetty keeps the header fields it has parsed on a connection and hands a later
	 * request the kept field when its bytes match, by default ignoring case: an
	 * {@code Authorization} header that differs from an earlier one on the connection
	 * only in the case of a letter (a bearer token's signature altered, say) reached the
	 * service as the earlier one. Matching is made case-sensitive, so a kept field is
	 * reused only for the same bytes.
	 */
	static void exactHeaderFields(Connector connector) {
		HttpConnectionFactory http = connector.getConnectionFactory(HttpConnectionFactory.class);
		if (http != null) {
			http.getHttpConfiguration().setHeaderCacheCaseSensitive(true);
		}
	}

	/**
	 * Refuses {@code TRACE} with {@code 405}, as Tomcat does by default: the servlet API
	 * would echo the request, headers and all, back to the caller.
	 */
	static final class NoTrace extends Handler.Wrapper {

		NoTrace(Handler handler) {
			super(handler);
		}

		@Override
		public boolean handle(Request request, Response response, Callback callback) throws Exception {
			if (!HttpMethod.TRACE.is(request.getMethod())) {
				return super.handle(request, response, callback);
			}
			response.setStatus(HttpStatus.METHOD_NOT_ALLOWED_405);
			response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			Content.Sink.write(response, true, ServerRefusals.json(HttpStatus.METHOD_NOT_ALLOWED_405), callback);
			return true;
		}

	}

	/**
	 * Jetty's own refusals as problem details; nothing about the server or the failure is
	 * revealed.
	 */
	static final class ProblemErrorHandler extends ErrorHandler {

		ProblemErrorHandler() {
			setShowStacks(false);
			setShowMessageInTitle(false);
		}

		@Override
		protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
				Callback callback) {
			if (HttpStatus.hasNoBody(code)) {
				callback.succeeded();
				return;
			}
			response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			Content.Sink.write(response, true, ServerRefusals.json(code), callback);
		}

	}

}
