package io.herald.gateway.session;

import io.herald.gateway.auth.InvalidTokenException;
import io.herald.gateway.auth.UserPrincipal;
import io.herald.gateway.auth.UserTokens;
import io.herald.gateway.inbox.StoreFailures;
import io.herald.support.web.AcceptHeader;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import io.herald.support.web.ProblemWriter;
import io.herald.support.web.RequestFirewall;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code /v1/ws}: upgrades a request to a WebSocket on Jetty's WebSocket core, in front
 * of the servlet stack, which sees every other request (docs/adr/026). Only the WebSocket
 * core's objects and the session's stay with an upgraded connection, not the servlet
 * request, Spring's WebSocket session and the handshake's headers, which is what keeps an
 * idle connection small.
 *
 * <p>
 * The upgrade is checked as the servlet stack checks its requests, in the same order and
 * with the same problem details: the request target ({@link RequestFirewall}: {@code 400
 * invalid_request_target}), the user token ({@code 401 invalid_token}, with
 * {@code WWW-Authenticate}), the {@code since} to resume after
 * ({@code 400 invalid_request} for one that is no seq), {@code Accept} ({@code 406}), the
 * upgrade itself ({@link UpgradeChecks}: {@code 405}, {@code 400 invalid_request},
 * {@code 403 origin_not_allowed}). Then the connection is counted against its user's
 * limit, which needs Redis: while Redis cannot be reached the upgrade is refused with
 * {@code 503} and {@code Retry-After}. Nothing refuses the upgrade after the count, so no
 * refused upgrade holds one of the user's connections; a user over the limit is upgraded
 * all the same and closed with {@code 4429}, as API.md says.
 */
final class WebSocketUpgrades extends Handler.Wrapper {

	/** Where clients open their WebSockets (API.md section 3). */
	static final String PATH = "/v1/ws";

	private static final Logger logger = LoggerFactory.getLogger(WebSocketUpgrades.class);

	private final RequestFirewall firewall = RequestFirewall.strict();

	private final WebSocketComponents components = new WebSocketComponents();

	private final WebSocketMappings mappings = new WebSocketMappings(this.components);

	private final Supplier<Endpoint> endpoint;

	private volatile @Nullable Endpoint resolved;

	/**
	 * @param servlets the servlet stack, which handles every request but the upgrades
	 * @param endpoint what the upgrades need from the application, resolved at the first
	 * request: the web server is made before the application's beans
	 */
	WebSocketUpgrades(Handler servlets, Supplier<Endpoint> endpoint) {
		super(servlets);
		this.endpoint = endpoint;
		installBean(this.components);
	}

	/** What an upgrade needs from the application. */
	record Endpoint(Sessions sessions, UserTokens tokens, UpgradeChecks checks, Configuration.Customizer settings,
			long sendTimeoutMillis, ProblemWriter problems, SessionMetrics metrics) {
	}

	@Override
	public boolean handle(Request request, Response response, Callback callback) throws Exception {
		if (!PATH.equals(Request.getPathInContext(request))) {
			return super.handle(request, response, callback);
		}
		Endpoint endpoint = endpoint();
		long start = System.nanoTime();
		String outcome;
		try {
			outcome = upgrade(endpoint, request, response, callback);
		}
		catch (ApiProblemException ex) {
			outcome = ex.code().code();
			refuse(endpoint, response, callback, ex.problem(), ex.headers());
		}
		endpoint.metrics().upgrade(outcome, System.nanoTime() - start);
		return true;
	}

	/**
	 * Checks the request, counts the connection and upgrades it.
	 * @return the outcome's tag
	 * @throws ApiProblemException when the upgrade is refused
	 */
	private String upgrade(Endpoint endpoint, Request request, Response response, Callback callback) throws Exception {
		HttpURI uri = request.getHttpURI();
		String rejection = this.firewall.rejection(uri.getPath(), uri.getQuery());
		if (rejection != null) {
			throw new ApiProblemException(ErrorCode.INVALID_REQUEST_TARGET, rejection);
		}
		Fields query;
		try {
			query = Request.extractQueryParameters(request);
		}
		catch (RuntimeException ex) {
			throw new ApiProblemException(ErrorCode.INVALID_REQUEST_TARGET, "The query string cannot be decoded.");
		}
		UserPrincipal user = authenticate(endpoint, request, query.getValue("access_token"));
		// A reconnecting client says where it resumes in the URL, so the session replays
		// from there before any live notification, however long its first frame would
		// take to arrive.
		Long since = Sessions.since(query.getValue("since"), "since");
		if (!AcceptHeader.admitsApiTypes(request.getHeaders().get(HttpHeader.ACCEPT))) {
			throw AcceptHeader.notAcceptable();
		}
		UpgradeChecks.Refusal refusal = endpoint.checks().refusal(request.getMethod(), headers(request), target(uri));
		if (refusal != null) {
			ProblemDetail problem = refusal.problem();
			refuse(endpoint, response, callback, problem, refusal.headers());
			Object code = (problem.getProperties() != null) ? problem.getProperties().get("code") : null;
			return String.valueOf(code);
		}
		String admitted;
		try {
			admitted = endpoint.sessions().admit(user);
		}
		catch (RuntimeException ex) {
			if (!StoreFailures.isStoreFailure(ex)) {
				throw ex;
			}
			logger.warn("Refusing a WebSocket of {}/{}, Redis cannot be reached: {}", user.tenant(), user.userId(),
					ex.toString());
			throw StoreFailures.unavailable();
		}
		Sessions sessions = endpoint.sessions();
		String sessionId = (admitted != null) ? admitted : sessions.newSessionId();
		WebSocketConnection connection = new WebSocketConnection(
				(opened) -> sessions.open(sessionId, user, opened, since, admitted != null),
				endpoint.sendTimeoutMillis());
		if (!this.mappings.upgrade((upgrade, upgraded, done) -> connection, request, response, callback,
				endpoint.settings())) {
			// The checks above are the handshake's own: this is a bug, not a client's
			// mistake.
			if (admitted != null) {
				sessions.release(user, admitted);
			}
			throw new IllegalStateException("Jetty refused a WebSocket upgrade that passed the checks");
		}
		return "upgraded";
	}

	private static UserPrincipal authenticate(Endpoint endpoint, Request request, @Nullable String accessToken) {
		try {
			return endpoint.tokens().authenticate(request.getHeaders().get(HttpHeader.AUTHORIZATION), accessToken);
		}
		catch (InvalidTokenException ex) {
			endpoint.metrics().registry().counter("herald.gateway.auth.rejected").increment();
			HttpHeaders challenge = new HttpHeaders();
			challenge.set(HttpHeaders.WWW_AUTHENTICATE, UserTokens.CHALLENGE);
			throw new ApiProblemException(ErrorCode.INVALID_TOKEN, ex.getMessage(), List.of(), challenge);
		}
	}

	/**
	 * The gateway as the client addressed it; one that matches no origin when its host is
	 * not a URI's.
	 */
	private static URI target(HttpURI uri) {
		try {
			return new URI(uri.getScheme(), uri.getAuthority(), null, null, null);
		}
		catch (URISyntaxException | RuntimeException ex) {
			return URI.create("about:blank");
		}
	}

	private static HttpHeaders headers(Request request) {
		HttpHeaders headers = new HttpHeaders();
		for (HttpField field : request.getHeaders()) {
			headers.add(field.getName(), field.getValue());
		}
		return headers;
	}

	private static void refuse(Endpoint endpoint, Response response, Callback callback, ProblemDetail problem,
			HttpHeaders headers) {
		response.setStatus(problem.getStatus());
		headers.forEach((name, values) -> values.forEach((value) -> response.getHeaders().add(name, value)));
		response.getHeaders().put(HttpHeader.CONTENT_TYPE, MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		response.write(true, ByteBuffer.wrap(endpoint.problems().bytes(problem)), callback);
	}

	private Endpoint endpoint() {
		Endpoint endpoint = this.resolved;
		if (endpoint == null) {
			endpoint = this.endpoint.get();
			this.resolved = endpoint;
		}
		return endpoint;
	}

}
