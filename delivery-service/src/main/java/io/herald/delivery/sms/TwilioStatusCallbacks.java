package io.herald.delivery.sms;

import com.twilio.security.RequestValidator;
import io.herald.delivery.receipt.Receipt;
import io.herald.delivery.receipt.ReceiptMetrics;
import io.herald.delivery.receipt.ReceiptProperties;
import io.herald.delivery.receipt.ReceiptRecorder;
import io.herald.support.web.ApiProblemException;
import io.herald.support.web.ErrorCode;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Twilio's status callbacks: {@code POST /v1/receipts/twilio/{account}/{reference}}, the
 * URL each message asked for ({@link TwilioSmsProvider}), form-encoded as Twilio sends
 * them ({@link TwilioStatusCallback}).
 *
 * <p>
 * A callback is checked with twilio-java's own {@link RequestValidator}: its
 * {@code X-Twilio-Signature} must be the account's HMAC of the URL as Twilio called it
 * (the public base URL and the path) and of the parameters. The signature also covers the
 * account and the reference in the path, so a callback can name no other delivery than
 * the one its message was sent for. Answers: {@code 204} once recorded (also for a
 * duplicate, a step on the way or an unknown reference: nothing more to do),
 * {@code 403 invalid_signature} without a valid signature, {@code 400 invalid_request}
 * for a body that is not a callback, {@code 404} for an account that takes no callbacks,
 * {@code 503} when Redis or the broker failed (nothing recorded).
 */
@RestController
class TwilioStatusCallbacks {

	/** Where status callbacks are received, followed by the account and the reference. */
	static final String PATH = "/v1/receipts/twilio/";

	private static final Logger logger = LoggerFactory.getLogger(TwilioStatusCallbacks.class);

	private static final Pattern URL_SAFE = Pattern.compile("[A-Za-z0-9._~-]+");

	private final Map<String, Account> accounts = new HashMap<>();

	private final @Nullable String baseUrl;

	private final ReceiptRecorder recorder;

	private final ReceiptMetrics metrics;

	TwilioStatusCallbacks(TwilioProperties properties, ReceiptProperties receipts, ReceiptRecorder recorder,
			ReceiptMetrics metrics) {
		this.baseUrl = receipts.baseUrl();
		this.recorder = recorder;
		this.metrics = metrics;
		for (TwilioProperties.Account account : properties.providers()) {
			this.accounts.put(account.name(),
					new Account(account.accountSid(), new RequestValidator(account.authToken())));
		}
	}

	/**
	 * The status callback URL of an account up to the reference, or {@code null} when the
	 * service has no public base URL.
	 * @throws IllegalArgumentException for an account name that cannot be a path segment
	 * as it is
	 */
	static @Nullable String callbackBase(ReceiptProperties receipts, TwilioProperties.Account account) {
		String base = receipts.baseUrl();
		if (base == null) {
			return null;
		}
		if (!URL_SAFE.matcher(account.name()).matches()) {
			throw new IllegalArgumentException("Twilio account '" + account.name()
					+ "' needs a name of letters, digits and . _ ~ - to receive status callbacks");
		}
		return base + PATH + account.name() + "/";
	}

	@PostMapping(PATH + "{account}/{reference}")
	ResponseEntity<Void> statusCallback(@PathVariable String account, @PathVariable String reference,
			HttpServletRequest request) {
		Account known = this.accounts.get(account);
		if (this.baseUrl == null || known == null) {
			throw new ApiProblemException(ErrorCode.NOT_FOUND, "No Twilio account takes status callbacks here.");
		}
		if (!isForm(request.getContentType())) {
			throw malformed(account, "The body must be application/x-www-form-urlencoded.");
		}
		Map<String, String> params = new LinkedHashMap<>();
		for (Map.Entry<String, String[]> param : request.getParameterMap().entrySet()) {
			if (param.getValue().length != 1) {
				throw malformed(account, "The parameter " + param.getKey() + " is repeated.");
			}
			params.put(param.getKey(), param.getValue()[0]);
		}
		String signature = request.getHeader("X-Twilio-Signature");
		String query = request.getQueryString();
		String url = this.baseUrl + request.getRequestURI() + ((query != null) ? "?" + query : "");
		if (signature == null || !known.validator().validate(url, params, signature)) {
			this.metrics.receipt(account, "refused_signature");
			throw new ApiProblemException(ErrorCode.INVALID_SIGNATURE,
					"X-Twilio-Signature is missing or is not the account's signature of this request.");
		}
		TwilioStatusCallback callback;
		try {
			callback = TwilioStatusCallback.parse(params);
		}
		catch (IllegalArgumentException ex) {
			throw malformed(account, "Not a status callback: " + ex.getMessage() + ".");
		}
		if (!callback.accountSid().equalsIgnoreCase(known.accountSid())) {
			throw malformed(account, "AccountSid is not the account's.");
		}
		try {
			this.recorder
				.record(new Receipt(account, reference, callback.messageSid(), callback.to(), callback.outcome()));
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record Twilio's {} for {}: {}", callback.status(), callback.messageSid(),
					ex.toString());
			throw new ApiProblemException(ErrorCode.SERVICE_UNAVAILABLE, "The receipt could not be recorded now.");
		}
		return ResponseEntity.noContent().build();
	}

	private ApiProblemException malformed(String account, String detail) {
		this.metrics.receipt(account, "malformed");
		return new ApiProblemException(ErrorCode.INVALID_REQUEST, detail);
	}

	private static boolean isForm(@Nullable String contentType) {
		try {
			return contentType != null
					&& MediaType.APPLICATION_FORM_URLENCODED.includes(MediaType.parseMediaType(contentType));
		}
		catch (RuntimeException ex) {
			return false;
		}
	}

	/** An account's SID and the validator of its signatures. */
	private record Account(String accountSid, RequestValidator validator) {
	}

}
