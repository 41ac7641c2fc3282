package io.herald.ingestion.webhook;

import io.herald.events.CallWebhook;
import io.herald.events.RecordDecodingException;
import io.herald.events.Topics;
import io.herald.support.kafka.DurableWrites;
import io.herald.support.kafka.KafkaErrorHandlers;
import io.herald.support.kafka.ListenerContainers;
import io.herald.support.kafka.RetryTopicBatches;
import io.herald.support.tracing.RecordTracing;
import io.micrometer.tracing.Span;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.SmartLifecycle;
import org.springframework.kafka.config.ConcurrentKafkaListenerContainerFactory;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.kafka.listener.BatchConsumerAwareMessageListener;
import org.springframework.kafka.listener.ConcurrentMessageListenerContainer;
import org.springframework.kafka.listener.ContainerProperties;
import org.springframework.kafka.listener.DefaultErrorHandler;
import org.springframework.stereotype.Component;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;

/**
 * Makes the webhook calls of {@code herald.webhooks} (consumer group
 * {@code herald-webhook-sender}) and of its retry topics
 * ({@code herald-webhook-sender-retry}), at least once.
 *
 * <p>
 * A batch calls all its endpoints at once, each with at most
 * {@code concurrency-per-endpoint} calls in flight, on virtual threads. An endpoint that
 * does not answer (no connection, no answer within {@code call-timeout}) gets no more
 * tries in this batch, and no call is started later than {@code call-timeout} after the
 * batch began: the calls not tried wait in the first retry topic without using up a try,
 * unless they would be older than {@code max-age} by then (they are given up). A slow
 * endpoint therefore holds up the others of its partition for at most about twice the
 * call timeout, and the endpoints of other partitions and consumers not at all. Failed
 * calls go to the retry topic of their try, due after the backoff
 * ({@link RetrySchedule}); calls given up, rejected or for an endpoint that answered
 * {@code 410} (which disables it) go to {@code herald.webhooks.dlt} with the reason. The
 * batch's offsets are committed once everything it wrote is acknowledged. A retry topic's
 * record that is not due yet stops its partition there until it is due; other partitions
 * go on.
 *
 * <p>
 * The listener commits what it handled itself, and nothing else does: its containers have
 * an error handler of their own that retries a failed batch (Redis or the broker down)
 * without end and commits nothing on its behalf afterwards, so a retry that is not due
 * yet is never committed before it was called. A record that cannot be read (not JSON, an
 * unknown schema, an invalid call) goes to {@code herald.webhooks.dlt} with the reason,
 * from the main topic and from every retry topic alike, and the batch goes on.
 *
 * <p>
 * Stopping lets the batches in flight end (their calls answered or timed out, their
 * outputs written and committed) before the resumer of held partitions stops; the HTTP
 * client is closed only after that ({@link #destroy()}). A batch cut short is not
 * committed and is read again.
 */
@Component
class WebhookSender implements SmartLifecycle, DisposableBean {

	static final String GROUP = "herald-webhook-sender";

	private static final Logger logger = LoggerFactory.getLogger(WebhookSender.class);

	/**
	 * The webhook ids the dispatcher makes ({@link WebhookPayload#webhookId}); sent as a
	 * header.
	 */
	private static final Pattern WEBHOOK_ID = Pattern.compile("msg_[0-9a-f]{32}");

	private final List<ConcurrentMessageListenerContainer<String, byte[]>> containers = new ArrayList<>();

	private final WebhookStore store;

	private final WebhookClient client;

	private final RetrySchedule schedule;

	private final KafkaTemplate<String, byte[]> kafka;

	private final RecordTracing tracing;

	private final WebhookMetrics metrics;

	private final WebhookProperties properties;

	private final Clock clock;

	private final CallRecords records;

	private final DefaultErrorHandler errorHandler;

	/**
	 * Holds the retry topics' partitions until their next record is due; one per start.
	 */
	private volatile RetryTopicBatches retries;

	/**
	 * Counted down once every container stopped after the last {@link #stop(Runnable)}.
	 */
	private volatile CountDownLatch stopped = new CountDownLatch(0);

	private volatile boolean running;

	WebhookSender(ConcurrentKafkaListenerContainerFactory<String, byte[]> factory, WebhookStore store,
			WebhookClient client, RetrySchedule schedule, KafkaTemplate<String, byte[]> kafka, RecordTracing tracing,
			WebhookMetrics metrics, WebhookProperties properties, Clock clock) {
		this.store = store;
		this.client = client;
		this.schedule = schedule;
		this.kafka = kafka;
		this.tracing = tracing;
		this.metrics = metrics;
		this.properties = properties;
		this.clock = clock;
		this.records = new CallRecords(tracing, metrics);
		this.retries = newRetries();
		// The shared handler's retries without end, but no commit of the whole batch once
		// a failed batch went through (its ackAfterHandle): a retry topic's batch can
		// hold calls that are not due yet, which the listener did not handle; a commit
		// past them would skip them for the next consumer of the partition, after a crash
		// or a rebalance.
		this.errorHandler = KafkaErrorHandlers.retryingWithoutEnd();
		this.errorHandler.setAckAfterHandle(false);
		add(factory, GROUP, false, List.of(Topics.WEBHOOKS.name()));
		add(factory, GROUP + "-retry", true, WebhookConfiguration.retryTopics(properties));
	}

	private RetryTopicBatches newRetries() {
		return new RetryTopicBatches(this.clock, "herald-webhook-resumer");
	}

	private void add(ConcurrentKafkaListenerContainerFactory<String, byte[]> factory, String group, boolean retry,
			List<String> topics) {
		ConcurrentMessageListenerContainer<String, byte[]> container = factory
			.createContainer(topics.toArray(String[]::new));
		ContainerProperties settings = container.getContainerProperties();
		settings.setGroupId(group);
		settings.setClientId(group);
		settings.setAckMode(ContainerProperties.AckMode.MANUAL);
		container.setConcurrency(this.properties.senders());
		container.setBeanName(group);
		container.setCommonErrorHandler(this.errorHandler);
		container.setupMessageListener((BatchConsumerAwareMessageListener<String, byte[]>) (records,
				consumer) -> onBatch(container, retry, records, consumer));
		this.containers.add(container);
	}

	private void onBatch(ConcurrentMessageListenerContainer<String, byte[]> container, boolean retry,
			List<ConsumerRecord<String, byte[]>> records, Consumer<?, ?> consumer) {
		List<ConsumerRecord<String, byte[]>> due = retry ? this.retries.due(records, consumer, container) : records;
		if (due.isEmpty()) {
			return;
		}
		DurableWrites.write(this.kafka, send(due), this.properties.writeTimeout());
		RetryTopicBatches.commit(due, consumer);
	}

	/**
	 * Makes the calls, every endpoint at once; returns the retries and dead letters to
	 * write.
	 */
	List<ProducerRecord<String, byte[]>> send(List<ConsumerRecord<String, byte[]>> records) {
		List<ProducerRecord<String, byte[]>> outputs = new ArrayList<>();
		Map<String, List<Pending>> byEndpoint = new LinkedHashMap<>();
		for (ConsumerRecord<String, byte[]> record : records) {
			CallWebhook call;
			try {
				call = Topics.WEBHOOKS.codec().decode(record.value());
			}
			catch (RecordDecodingException ex) {
				outputs
					.add(this.records.unreadable(record, ex.reason().name().toLowerCase(Locale.ROOT), ex.getMessage()));
				continue;
			}
			if (call == null) {
				continue;
			}
			if (!WEBHOOK_ID.matcher(call.webhookId()).matches()) {
				// It goes into a request header: a hostile one must not fail the batch,
				// again and again.
				outputs.add(this.records.unreadable(record, "invalid_record",
						"the webhook id is not msg_ and 32 hex digits"));
				continue;
			}
			byEndpoint.computeIfAbsent(call.key(), (key) -> new ArrayList<>()).add(new Pending(call, record));
		}
		Instant startBy = this.clock.instant().plus(this.properties.callTimeout());
		List<Future<List<ProducerRecord<String, byte[]>>>> endpoints = new ArrayList<>();
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			for (List<Pending> calls : byEndpoint.values()) {
				endpoints.add(executor.submit(() -> callEndpoint(calls, startBy)));
			}
		}
		for (Future<List<ProducerRecord<String, byte[]>>> endpoint : endpoints) {
			outputs.addAll(result(endpoint));
		}
		return outputs;
	}

	/**
	 * The calls of one endpoint, at most {@code concurrency-per-endpoint} at once, in
	 * order of start.
	 */
	private List<ProducerRecord<String, byte[]>> callEndpoint(List<Pending> calls, Instant startBy) {
		CallWebhook first = calls.get(0).call();
		WebhookEndpoint endpoint = this.store.find(first.tenant(), first.endpointId());
		List<ProducerRecord<String, byte[]>> outputs = new ArrayList<>();
		if (endpoint == null) {
			calls.forEach((pending) -> this.metrics.counted(first.tenant(), "dropped"));
			return outputs;
		}
		EndpointState state = new EndpointState(endpoint, new Semaphore(this.properties.concurrencyPerEndpoint(), true),
				new AtomicBoolean(endpoint.disabledAt() != null), new AtomicBoolean());
		List<Future<List<ProducerRecord<String, byte[]>>>> tries = new ArrayList<>();
		try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
			for (Pending pending : calls) {
				tries.add(executor.submit(() -> {
					state.permits().acquire();
					try {
						return callOnce(state, pending, startBy);
					}
					finally {
						state.permits().release();
					}
				}));
			}
		}
		for (Future<List<ProducerRecord<String, byte[]>>> one : tries) {
			outputs.addAll(result(one));
		}
		return outputs;
	}

	private List<ProducerRecord<String, byte[]>> callOnce(EndpointState state, Pending pending, Instant startBy) {
		CallWebhook call = pending.call();
		if (state.disabled().get()) {
			return List.of(this.records.deadLetter(pending.record(), call, "endpoint_disabled", null));
		}
		if (state.unreachable().get() || this.clock.instant().isAfter(startBy)) {
			this.metrics.counted(call.tenant(), "postponed");
			return switch (this.schedule.postpone(call.createdAt())) {
				case RetrySchedule.Decision.Retry later ->
					List.of(this.records.retry(pending.record(), call, later, null));
				case RetrySchedule.Decision.GiveUp giveUp ->
					List.of(this.records.givenUp(pending.record(), call, giveUp, "postponed", null));
			};
		}
		Span span = this.tracing.start("webhook call", pending.record().headers());
		try (var scope = this.tracing.inScope(span)) {
			long started = System.nanoTime();
			CallOutcome outcome = this.client.call(state.endpoint(), call);
			this.metrics.call(call.tenant(), outcome.name(), Duration.ofNanos(System.nanoTime() - started));
			return switch (outcome) {
				case CallOutcome.Delivered delivered -> List.of();
				case CallOutcome.Gone gone -> {
					if (state.disabled().compareAndSet(false, true)) {
						this.store.update(call.tenant(),
								state.endpoint().disabled(this.clock.instant(), "the endpoint answered 410 Gone"));
						logger.info("Webhook endpoint {} of {} answered 410: disabled", call.endpointId(),
								call.tenant());
					}
					yield List.of(this.records.deadLetter(pending.record(), call, "endpoint_gone", span));
				}
				case CallOutcome.Rejected rejected ->
					List.of(this.records.deadLetter(pending.record(), call, rejected.reason(), span));
				case CallOutcome.Failed failed -> {
					if (failed.unreachable()) {
						state.unreachable().set(true);
					}
					yield switch (this.schedule.afterFailure(call.attempt(), call.createdAt(), failed.retryAfter())) {
						case RetrySchedule.Decision.Retry retry -> {
							this.metrics.retried();
							yield List.of(this.records.retry(pending.record(), call.nextAttempt(), retry, span));
						}
						case RetrySchedule.Decision.GiveUp giveUp ->
							List.of(this.records.givenUp(pending.record(), call, giveUp, failed.reason(), span));
					};
				}
			};
		}
		finally {
			span.end();
		}
	}

	private static <T> T result(Future<T> future) {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while calling webhooks", ex);
		}
		catch (ExecutionException ex) {
			// The store could not be read: the batch fails and is tried again as a whole.
			throw (ex.getCause() instanceof RuntimeException runtime) ? runtime
					: new IllegalStateException(ex.getCause());
		}
	}

	@Override
	public void start() {
		// A stop closed the resumer: a restart needs a new one.
		this.retries.close();
		this.retries = newRetries();
		this.containers.forEach(ConcurrentMessageListenerContainer::start);
		this.running = true;
	}

	@Override
	public void stop() {
		stop(() -> {
		});
		awaitStopped();
	}

	/**
	 * Stops every container at once ({@link ListenerContainers#stopAll}). Once the last
	 * consumer ended (its batch handled, or left uncommitted), the resumer of held
	 * partitions stops, then {@code callback} runs.
	 */
	@Override
	public void stop(Runnable callback) {
		CountDownLatch stopping = new CountDownLatch(1);
		this.stopped = stopping;
		this.running = false;
		ListenerContainers.stopAll(this.containers, () -> {
			this.retries.close();
			stopping.countDown();
			callback.run();
		});
	}

	/**
	 * Waits until the consumers stopped, should the context's shutdown have stopped
	 * waiting sooner: the HTTP client and the producer, closed after this bean, are then
	 * no longer used. A batch still running after the longest a batch takes is left to
	 * fail; it is not committed.
	 */
	@Override
	public void destroy() {
		if (this.stopped.getCount() > 0) {
			logger.info("Waiting for the webhook senders to end their batches");
			awaitStopped();
		}
	}

	private void awaitStopped() {
		Duration longest = this.properties.callTimeout().multipliedBy(2).plus(this.properties.writeTimeout());
		try {
			if (!this.stopped.await(longest.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("Webhook senders still running {} after they were stopped: their batches are read again",
						longest);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/** A call and the record it was read from. */
	private record Pending(CallWebhook call, ConsumerRecord<String, byte[]> record) {
	}

	/** What the tries of one endpoint in a batch share. */
	private record EndpointState(WebhookEndpoint endpoint, Semaphore permits, AtomicBoolean disabled,
			AtomicBoolean unreachable) {
	}

}
