package io.herald.infra.sandbox;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;

/**
 * A twilio-java HTTP client that sends requests for {@value #TWILIO_ROOT} to a sandbox instead,
 * copying method, parameters, headers, body and authentication.
 */
final class TwilioSandboxHttpClient extends NetworkHttpClient {

	static final String TWILIO_ROOT = "https://api.twilio.com";

	private final String baseUrl;

	TwilioSandboxHttpClient(String baseUrl) {
		this.baseUrl = baseUrl;
	}

	@Override
	public Response makeRequest(Request request) {
		String url = request.getUrl();
		if (!url.startsWith(TWILIO_ROOT)) {
			return super.makeRequest(request);
		}
		Request local = new Request(request.getMethod(), this.baseUrl + url.substring(TWILIO_ROOT.length()));
		copy(request.getQueryParams(), local::addQueryParam);
		copy(request.getPostParams(), local::addPostParam);
		copy(request.getHeaderParams(), local::addHeaderParam);
		if (request.getContentType() != null) {
			local.setContentType(request.getContentType());
		}
		if (request.getBody() != null) {
			local.setBody(request.getBody());
		}
		if (request.getFormParameters() != null) {
			local.setFormParameters(request.getFormParameters());
		}
		if (request.getAuthStrategy() != null) {
			local.setAuth(request.getAuthStrategy());
		}
		else if (request.getUsername() != null) {
			local.setAuth(request.getUsername(), request.getPassword());
		}
		return super.makeRequest(local);
	}

	private static void copy(Map<String, List<String>> params, BiConsumer<String, String> add) {
		params.forEach((name, values) -> values.forEach((value) -> add.accept(name, value)));
	}

}
