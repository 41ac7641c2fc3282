package io.herald.delivery.sms;

import com.twilio.exception.ApiException;
import com.twilio.http.HttpClient;
import com.twilio.http.NetworkHttpClient;
import com.twilio.http.Request;
import com.twilio.http.Response;
import com.twilio.http.TwilioRestClient;
import com.twilio.rest.api.v2010.account.Message;
import com.twilio.rest.api.v2010.account.MessageCreator;
import com.twilio.type.PhoneNumber;
import io.herald.delivery.provider.DeliveryOutcome;
import io.herald.delivery.provider.Provider;
import io.herald.delivery.provider.ProviderLimits;
import io.herald.delivery.provider.Send;
import io.herald.events.Channel;
import io.herald.events.ChannelMessage;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BiConsumer;

/**
 * SMS through one Twilio account with twilio-java, on threads of its own (the SDK blocks).
 *
 * <p>Twilio's answers, as outcomes:
 * <table>
 * <caption>Twilio errors</caption>
 * <tr><th>Twilio</th><th>outcome</th></tr>
 * <tr><td>201, a message SID</td><td>{@code Sent(SID)}</td></tr>
 * <tr><td>21211, 21214, 21217, 21401, 21407, 21408, 21421, 21612, 21614 (invalid, unreachable,
 * landline or unsupported number)</td><td>{@code Rejected("invalid_number")}</td></tr>
 * <tr><td>21610 (the recipient replied STOP)</td><td>{@code Rejected("unsubscribed")}</td></tr>
 * <tr><td>other 4xx except 401, 403 and 429</td><td>{@code Rejected("rejected")}</td></tr>
 * <tr><td>401, 403 (this account's credentials or permissions)</td><td>{@code Failed("auth")}:
 * another account may take it</td></tr>
 * <tr><td>429, 20429</td><td>{@code Failed("rate_limited")}</td></tr>
 * <tr><td>5xx, no connection, no answer</td><td>{@code Failed("unavailable")} or
 * {@code Failed("timeout")}</td></tr>
 * </table>
 * The SDK's own retries are switched off: retries are the dispatcher's, through retry topics,
 * so a slow account never holds a worker.
 */
final class TwilioSmsProvider implements Provider {

	private static final String TWILIO_ROOT = "https://api.twilio.com";

	private static final Set<Integer> INVALID_NUMBER = Set.of(21211, 21214, 21217, 21401, 21407, 21408, 21421, 21612,
			21614);

	private static final int UNSUBSCRIBED = 21610;

	private final TwilioProperties.Account account;

	private final TwilioRestClient client;

	private final ExecutorService threads;

	TwilioSmsProvider(TwilioProperties.Account account) {
		this.account = account;
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
		ChannelMessage.Sms sms = (ChannelMessage.Sms) send.message();
		return CompletableFuture.supplyAsync(() -> create(sms), this.threads);
	}

	private DeliveryOutcome create(ChannelMessage.Sms sms) {
		PhoneNumber to = new PhoneNumber(sms.to());
		MessageCreator creator = (this.account.from() != null && !this.account.from().isBlank())
				? Message.creator(to, new PhoneNumber(this.account.from()), sms.body())
				: Message.creator(to, this.account.messagingServiceSid(), sms.body());
		try {
			Message message = creator.create(this.client);
			return new DeliveryOutcome.Sent(message.getSid());
		}
		catch (ApiException ex) {
			return classify(ex);
		}
		catch (RuntimeException ex) {
			// No connection, no answer in time, an unreadable answer: the account may be fine later.
			String reason = (String.valueOf(ex.getMessage()).toLowerCase().contains("timed out")) ? "timeout"
					: "unavailable";
			return new DeliveryOutcome.Failed(reason, null, this.account.name() + ": " + ex);
		}
	}

	static DeliveryOutcome classify(ApiException ex) {
		Integer code = ex.getCode();
		Integer status = ex.getStatusCode();
		String detail = "Twilio error " + code + " (HTTP " + status + "): " + ex.getMessage();
		if (code != null && INVALID_NUMBER.contains(code)) {
			return new DeliveryOutcome.Rejected("invalid_number", false, detail);
		}
		if (code != null && code == UNSUBSCRIBED) {
			return new DeliveryOutcome.Rejected("unsubscribed", false, detail);
		}
		if (status == null) {
			return new DeliveryOutcome.Failed("unavailable", null, detail);
		}
		if (status == 401 || status == 403) {
			return new DeliveryOutcome.Failed("auth", null, detail);
		}
		if (status == 429 || (code != null && code == 20429)) {
			return new DeliveryOutcome.Failed("rate_limited", null, detail);
		}
		if (status >= 400 && status < 500) {
			return new DeliveryOutcome.Rejected("rejected", false, detail);
		}
		return new DeliveryOutcome.Failed("unavailable", null, detail);
	}

	@Override
	public void close() {
		this.threads.shutdownNow();
	}

	/**
	 * twilio-java's HTTP client with the account's timeouts, without the SDK's retries, sending
	 * requests for Twilio's API root to the configured base URL.
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
					.setDefaultConnectionConfig(ConnectionConfig.custom()
						.setConnectTimeout(timeout)
						.setSocketTimeout(timeout)
						.build())
					.build())
				.setDefaultRequestConfig(RequestConfig.custom()
					.setConnectionRequestTimeout(timeout)
					.setResponseTimeout(timeout)
					.build())
				.disableAutomaticRetries()
				.useSystemProperties();
		}

		@Override
		protected boolean shouldRetry(Response response, int[] retryCodes) {
			return false;
		}

		@Override
		public Response makeRequest(Request request) {
			String url = request.getUrl();
			if (this.baseUrl.equals(TWILIO_ROOT) || !url.startsWith(TWILIO_ROOT)) {
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

}
