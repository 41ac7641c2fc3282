package io.herald.delivery.sms;

import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

import com.twilio.http.Request;

/**
 * Sends twilio-java's requests to another base URL than Twilio's, such as a local sandbox
 * or a proxy: the one place that rewrites them, for the provider and for the sandbox's
 * tests.
 */
final class TwilioRequests {

	/** Where twilio-java sends every request of the Messages API. */
	static final String TWILIO_ROOT = "https://api.twilio.com";

	private TwilioRequests() {
	}

	/**
	 * The request sent to {@code baseUrl} instead of {@value #TWILIO_ROOT}, with its
	 * method, parameters, headers, body and authentication.
	 * @param request a request twilio-java built
	 * @param baseUrl the URL replacing {@value #TWILIO_ROOT}, without a trailing slash
	 * @return {@code request} itself when it is not for Twilio or the base URL is
	 * Twilio's
	 */
	static Request rebase(Request request, String baseUrl) {
		String url = request.getUrl();
		if (baseUrl.equals(TWILIO_ROOT) || !url.startsWith(TWILIO_ROOT)) {
			return request;
		}
		Request rebased = new Request(request.getMethod(), baseUrl + url.substring(TWILIO_ROOT.length()));
		copy(request.getQueryParams(), rebased::addQueryParam);
		copy(request.getPostParams(), rebased::addPostParam);
		copy(request.getHeaderParams(), rebased::addHeaderParam);
		if (request.getContentType() != null) {
			rebased.setContentType(request.getContentType());
		}
		if (request.getBody() != null) {
			rebased.setBody(request.getBody());
		}
		if (request.getFormParameters() != null) {
			rebased.setFormParameters(request.getFormParameters());
		}
		if (request.getAuthStrategy() != null) {
			rebased.setAuth(request.getAuthStrategy());
		}
		else if (request.getUsername() != null) {
			rebased.setAuth(request.getUsername(), request.getPassword());
		}
		return rebased;
	}

	private static void copy(Map<String, List<String>> params, BiConsumer<String, String> add) {
		params.forEach((name, values) -> values.forEach((value) -> add.accept(name, value)));
	}

}
