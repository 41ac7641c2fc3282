package io.herald.delivery.sms;

import com.twilio.exception.ApiException;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.FailureCause;
import io.herald.delivery.provider.Provider;
import io.herald.delivery.provider.ProviderLimits;
import io.herald.delivery.provider.RejectionCause;
import io.herald.delivery.provider.RetryAfter;
import io.herald.delivery.provider.Send;
import io.herald.delivery.receipt.ReceiptReferences;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.util.Timeout;
import org.jspecify.annotations.Nullable;

import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

/**
 * SMS through one Twilio account with twilio-java, on threads of its own (the SDK
 * blocks).
 *
 * <p>
 * Twilio's answers, as outcomes:
 * <table>
 * <caption>Twilio errors</caption>
 * <tr>
 * <th>Twilio</th>
 * <th>outcome</th>
 * </tr>
 * <tr>
 * <td>201, a message SID</td>
 * <td>{@code Sent(SID)}</td>
 * </tr>
 * <tr>
 * <td>21211, 21214, 21217, 21401, 21407, 21408, 21421, 21612, 21614 (invalid,
 * unreachable, landline or unsupported number)</td>
 * <td>{@code Rejected(INVALID_ADDRESS, "invalid_number")}</td>
 * </tr>
 * <tr>
 * <td>21610 (the recipient replied STOP)</td>
 * <td>{@code Rejected(UNSUBSCRIBED)}</td>
 * </tr>
 * <tr>
 * <td>other 4xx except 401, 403 and 429</td>
 * <td>{@code Rejected(REFUSED)}</td>
 * </tr>
 * <tr>
 * <td>401, 403 (this account's credentials or permissions)</td>
 * <td>{@code Failed(AUTH)}: another account may take it</td>
 * </tr>
 * <tr>
 * <td>429, 20429</td>
 * <td>{@code Failed(PROVIDER_THROTTLED)}, waiting at least the answer's
 * {@code Retry-After} when it has one</td>
 * </tr>
 * <tr>
 * <td>5xx, no connection, no answer</td>
 * <td>{@code Failed(UNAVAILABLE)} or {@code Failed(TIMEOUT)}</td>
 * </tr>
 * </table>
 * The SDK's own retries are switched off: retries are the dispatcher's, through retry
 * topics, so a slow account never holds a worker.
 *
 * <p>
 * With a status callback base, every message asks Twilio for status callbacks at
 * {@code <base><reference>} ({@link TwilioStatusCallbacks}), the send's receipt reference
 * last.
 */
final class TwilioSmsProvider implements Provider {

	private static final Set<Integer> INVALID_NUMBER = Set.of(21211, 21214, 21217, 21401, 21407, 21408, 21421, 21612,
			21614);

	private static final int UNSUBSCRIBED = 21610;

	private static final int TOO_MANY_REQUESTS = 20429;

	private final TwilioProperties.Account account;

	private final TwilioRestClient client;

	private final ExecutorService threads;

	/** Where status callbacks go, up to the reference; {@code null} for none. */
	private final @Nullable String statusCallbacks;

	TwilioSmsProvider(TwilioProperties.Account account) {
		this(account, null);
	}

	/**
	 * @param statusCallbacks the status callback URL of the account up to the receipt
	 * reference, or {@code null} to ask for none
	 */
	TwilioSmsProvider(TwilioProperties.Account account, @Nullable String statusCallbacks) {
		this.account = account;
		this.statusCallbacks = statusCallbacks;
		this.threads = Provider.blockingCalls(account.name());
		this.client = new TwilioRestClient.Builder(account.accountSid(), account.authToken())
			.accountSid(account.accountSid())
			.httpClient(new OneShotHttpClient(account))
			.build();
	}

	@Override
	public String name() {
		return this.account.name();
	}

	@Override
	public Channel channel() {
		return Channel.SMS;
	}

	@Override
	public ProviderLimits limits() {
		return new ProviderLimits(this.account.maxInFlight(), this.account.ratePerSecond());
	}

	@Override
	public boolean accepts(Send send) {
		return send.message() instanceof ChannelMessage.Sms;
	}

	@Override
	public CompletableFuture<DeliveryOutcome> send(Send send) {
		return CompletableFuture.supplyAsync(() -> create(send), this.threads);
	}

	private DeliveryOutcome create(Send send) {
		ChannelMessage.Sms sms = (ChannelMessage.Sms) send.message();
		PhoneNumber to = new PhoneNumber(sms.to());
		MessageCreator creator = (this.account.from() != null && !this.account.from().isBlank())
				? Message.creator(to, new PhoneNumber(this.account.from()), sms.body())
				: Message.creator(to, this.account.messagingServiceSid(), sms.body());
		if (this.statusCallbacks != null) {
			creator.setStatusCallback(this.statusCallbacks + ReceiptReferences.of(send));
		}
		try {
			Message message = creator.create(this.client);
			return new DeliveryOutcome.Sent(message.getSid());
		}
		catch (Throttled ex) {
			return new DeliveryOutcome.Failed(FailureCause.PROVIDER_THROTTLED, ex.retryAfter,
					this.account.name() + ": HTTP 429 " + ex.getMessage());
		}
		catch (ApiException ex) {
			return classify(ex);
		}
		catch (RuntimeException ex) {
			// No connection, no answer in time, an unreadable answer: the account may be
			// fine later.
			FailureCause cause = (String.valueOf(ex.getMessage()).toLowerCase().contains("timed out"))
					? FailureCause.TIMEOUT : FailureCause.UNAVAILABLE;
			return new DeliveryOutcome.Failed(cause, null, this.account.name() + ": " + ex);
		}
	}

	static DeliveryOutcome classify(ApiException ex) {
		Integer code = ex.getCode();
		Integer status = ex.getStatusCode();
		String detail = "Twilio error " + code + " (HTTP " + status + "): " + ex.getMessage();
		if (code != null && INVALID_NUMBER.contains(code)) {
			return new DeliveryOutcome.Rejected(RejectionCause.INVALID_ADDRESS, "invalid_number", detail);
		}
		if (code != null && code == UNSUBSCRIBED) {
			return new DeliveryOutcome.Rejected(RejectionCause.UNSUBSCRIBED, detail);
		}
		if (status == null) {
			return new DeliveryOutcome.Failed(FailureCause.UNAVAILABLE, null, detail);
		}
		if (status == 401 || status == 403) {
			return new DeliveryOutcome.Failed(FailureCause.AUTH, null, detail);
		}
		if (status == 429 || (code != null && code == TOO_MANY_REQUESTS)) {
			return new DeliveryOutcome.Failed(FailureCause.PROVIDER_THROTTLED, null, detail);
		}
		if (status >= 400 && status < 500) {
			return new DeliveryOutcome.Rejected(RejectionCause.REFUSED, detail);
		}
		return new DeliveryOutcome.Failed(FailureCause.UNAVAILABLE, null, detail);
	}

	@Override
	public void close() {
		this.threads.shutdownNow();
	}

	/**
	 * A 429 answer with its {@code Retry-After}, which twilio-java's {@link ApiException}
	 * does not carry: thrown by {@link OneShotHttpClient} past the SDK to
	 * {@link #create}.
	 */
	private static final class Throttled extends RuntimeException {

		private final @Nullable Duration retryAfter;

		Throttled(@Nullable Duration retryAfter, String answer) {
			super(answer, null, false, false);
			this.retryAfter = retryAfter;
		}

	}

	/**
	 * twilio-java's HTTP client with the account's timeouts, without the SDK's retries,
	 * sending requests for Twilio's API root to the configured base URL. A 429 answer
	 * leaves the SDK as {@link Throttled}, with the answer's {@code Retry-After}.
	 */
	private static final class OneShotHttpClient extends NetworkHttpClient {

		private final String baseUrl;

		OneShotHttpClient(TwilioProperties.Account account) {
			super(builder(account));
			this.baseUrl = account.baseUrl().toString().replaceAll("/+$", "");
		}

		private static HttpClientBuilder builder(TwilioProperties.Account account) {
			Timeout timeout = Timeout.ofMilliseconds(account.timeout().toMillis());
			return org.apache.hc.client5.http.impl.classic.HttpClients.custom()
				.setConnectionManager(PoolingHttpClientConnectionManagerBuilder.create()
					.setMaxConnTotal(account.maxInFlight())
					.setMaxConnPerRoute(account.maxInFlight())
					.setDefaultConnectionConfig(
							ConnectionConfig.custom().setConnectTimeout(timeout).setSocketTimeout(timeout).build())
					.build())
				.setDefaultRequestConfig(
						RequestConfig.custom().setConnectionRequestTimeout(timeout).setResponseTimeout(timeout).build())
				.disableAutomaticRetries()
				.useSystemProperties();
		}

		@Override
		protected boolean shouldRetry(Response response, int[] retryCodes) {
			return false;
		}

		@Override
		public Response makeRequest(Request request) {
			Response response = super.makeRequest(TwilioRequests.rebase(request, this.baseUrl));
			if (response.getStatusCode() == 429) {
				Header retryAfter = Arrays.stream(response.getHeaders())
					.filter((header) -> header.getName().equalsIgnoreCase(HttpHeaders.RETRY_AFTER))
					.findFirst()
					.orElse(null);
				throw new Throttled(
						RetryAfter.parse((retryAfter != null) ? retryAfter.getValue() : null, Clock.systemUTC()),
						response.getContent());
			}
			return response;
		}

	}

}
