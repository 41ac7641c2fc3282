package io.herald.support.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * Follows a compacted catalog topic into memory: one consumer without a group reads every
 * partition from the beginning, hands each record to a handler on its own thread, and
 * keeps following. It is {@linkplain #isLoaded() loaded} once it has read up to the first
 * end offsets it could read after it was assigned; while they cannot be read (a partition
 * without a leader yet, as on a cluster that is still electing), it asks again on every
 * pass.
 *
 * <p>
 * <b>Reading one's writes.</b> {@link #sync(Duration)} returns once every record the
 * brokers acknowledged before the call has been handled: the follower asks for the end
 * offsets (the high watermark, which an {@code acks=all} write has passed when it is
 * acknowledged) after the call began, and reads up to them. Calls that arrive while such
 * a round is under way share the next round, so a stream of calls costs one request to
 * the broker per round trip, not one per call. The end offsets are asked for over a
 * connection of their own (an admin client): on the consumer's connection the request
 * would wait behind its long-polling fetch.
 *
 * <p>
 * <b>Positions.</b> For a topic of one partition, {@link #position()} is the offset of
 * the next record to read: every record below it has been handled. A reader that was told
 * a position by another service (an event carries the position its ingestion had read to)
 * waits for it with {@link #awaitPosition(long, Duration)}. For a topic of several
 * partitions no single offset says that, and {@link #position()} is
 * {@value #NO_POSITION}.
 *
 * <p>
 * While the broker cannot be reached, what was read stays in force: a sync or a wait that
 * times out returns {@code false}, and until the follower makes progress again, further
 * calls return at once instead of each waiting out its timeout.
 */
public final class CatalogFollower implements SmartLifecycle {

	/**
	 * The position of a follower that has none: not assigned yet, or a topic of several
	 * partitions.
	 */
	public static final long NO_POSITION = -1;

	private static final Logger logger = LoggerFactory.getLogger(CatalogFollower.class);

	/**
	 * How long one call to the broker may block the follower, so that it notices a stop.
	 */
	private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);

	/** The pause after a failed attempt to reach the topic. */
	private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

	/** The longest poll while nobody waits; a sync wakes it. */
	private static final Duration IDLE_POLL = Duration.ofSeconds(1);

	/** The poll while a sync waits for records. */
	private static final Duration SYNC_POLL = Duration.ofMillis(50);

	private final String topic;

	private final String name;

	private final Map<String, Object> consumerProperties;

	private final Map<String, Object> adminProperties;

	private final Consumer<ConsumerRecord<String, byte[]>> handler;

	private final Object lock = new Object();

	/** The latest round asked for; guarded by {@link #lock}. */
	private long requested;

	/** The latest round whose end offsets were taken; guarded by {@link #lock}. */
	private long started;

	/** The latest round read to its end offsets; guarded by {@link #lock}. */
	private long completed = -1;

	/**
	 * Whether the follower is in an idle poll that a sync may wake; guarded by
	 * {@link #lock}.
	 */
	private boolean idle;

	/**
	 * Whether the last sync timed out and none completed since; guarded by {@link #lock}.
	 */
	private boolean syncStalled;

	/** Whether a wait timed out; guarded by {@link #lock}. */
	private boolean waitStalled;

	/** The position at which the last wait timed out; guarded by {@link #lock}. */
	private long waitStalledAt;

	private volatile long position = NO_POSITION;

	private volatile boolean loaded;

	private volatile boolean running;

	private @Nullable KafkaConsumer<String, byte[]> consumer;

	private @Nullable Admin admin;

	private @Nullable Thread follower;

	/**
	 * @param topic the catalog topic
	 * @param consumerProperties the service's consumer settings (bootstrap servers,
	 * security); group, offsets and deserializers are set here
	 * @param name a name for the thread and the logs
	 * @param handler applies one record (a {@code null} value is a tombstone); called on
	 * the follower's thread only, in offset order, never concurrently
	 */
	public CatalogFollower(String topic, Map<String, Object> consumerProperties, String name,
			Consumer<ConsumerRecord<String, byte[]>> handler) {
		this.topic = topic;
		this.name = name;
		this.handler = handler;
		Map<String, Object> properties = new HashMap<>(consumerProperties);
		properties.remove(ConsumerConfig.GROUP_ID_CONFIG);
		properties.remove(ConsumerConfig.CLIENT_ID_CONFIG);
		properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
		properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
		properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class);
		this.consumerProperties = Map.copyOf(properties);
		Map<String, Object> admin = new HashMap<>();
		consumerProperties.forEach((key, value) -> {
			if (AdminClientConfig.configNames().contains(key) && !key.equals(AdminClientConfig.CLIENT_ID_CONFIG)) {
				admin.put(key, value);
			}
		});
		this.adminProperties = Map.copyOf(admin);
	}

	/**
	 * Whether the topic has been read to the first end offsets the follower could read
	 * after it started.
	 */
	public boolean isLoaded() {
		return this.loaded;
	}

	/**
	 * The offset of the next record to read, for a topic of one partition: every record
	 * below it has been handled. {@value #NO_POSITION} before the first assignment, and
	 * for a topic of several partitions.
	 */
	public long position() {
		return this.position;
	}

	/**
	 * Waits until every record the brokers acknowledged before this call has been
	 * handled.
	 * @param timeout the longest wait
	 * @return {@code true} when it has; {@code false} when the follower is stopped, or
	 * could not read that far in time (what was read stays in force), or timed out before
	 * and has not completed a sync since (then it returns at once, and syncs in the
	 * background)
	 */
	public boolean sync(Duration timeout) {
		KafkaConsumer<String, byte[]> consumer = this.consumer;
		if (!this.running || consumer == null) {
			return false;
		}
		long round;
		boolean wake;
		synchronized (this.lock) {
			round = ++this.requested;
			wake = this.idle;
			this.idle = false;
			if (this.syncStalled) {
				wake(consumer, wake);
				return false;
			}
		}
		wake(consumer, wake);
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			while (this.completed < round) {
				long left = deadline - System.nanoTime();
				if (left <= 0 || !this.running) {
					if (!this.syncStalled && this.running) {
						logger.warn("{}: {} could not be read up to its end within {}; using what was read", this.name,
								this.topic, timeout);
					}
					this.syncStalled = this.running;
					return false;
				}
				waitNanos(left);
			}
			return true;
		}
	}

	/**
	 * Waits until the follower has loaded the topic and handled every record below an
	 * offset of a topic of one partition.
	 * @param offset a position another reader of the topic reached, {@code 0} to wait for
	 * the load alone
	 * @param timeout the longest wait
	 * @return {@code true} when it has; {@code false} when it could not in time, or timed
	 * out before and has not read further since (then at once), or has no position
	 */
	public boolean awaitPosition(long offset, Duration timeout) {
		if (this.loaded && this.position >= offset) {
			return true;
		}
		if (this.loaded && this.position == NO_POSITION) {
			return false;
		}
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			while (!this.loaded || this.position < offset) {
				long left = deadline - System.nanoTime();
				boolean stalled = this.waitStalled && this.waitStalledAt == this.position;
				if (stalled || left <= 0 || !this.running) {
					if (!stalled) {
						logger.warn("{}: {} not read up to offset {} within {} (at {})", this.name, this.topic, offset,
								timeout, this.position);
					}
					this.waitStalled = true;
					this.waitStalledAt = this.position;
					return false;
				}
				waitNanos(left);
			}
			return true;
		}
	}

	private void waitNanos(long nanos) {
		try {
			this.lock.wait(Math.max(1, nanos / 1_000_000), 0);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("interrupted while waiting for " + this.topic, ex);
		}
	}

	private static void wake(KafkaConsumer<String, byte[]> consumer, boolean wake) {
		if (wake) {
			consumer.wakeup();
		}
	}

	@Override
	public synchronized void start() {
		if (this.running) {
			return;
		}
		this.running = true;
		KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(this.consumerProperties);
		Admin admin = Admin.create(this.adminProperties);
		this.consumer = consumer;
		this.admin = admin;
		Thread thread = new Thread(() -> follow(consumer, admin), this.name);
		thread.setDaemon(true);
		this.follower = thread;
		thread.start();
	}

	@Override
	public void stop() {
		Thread thread;
		synchronized (this) {
			if (!this.running) {
				return;
			}
			this.running = false;
			thread = this.follower;
			if (this.consumer != null) {
				this.consumer.wakeup();
			}
		}
		synchronized (this.lock) {
			this.lock.notifyAll();
		}
		if (thread != null) {
			try {
				thread.join(CALL_TIMEOUT.toMillis() * 2);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void follow(KafkaConsumer<String, byte[]> consumer, Admin admin) {
		List<TopicPartition> partitions = null;
		Map<TopicPartition, Long> target = null;
		long round = 0;
		boolean warned = false;
		try (consumer; admin) {
			while (this.running) {
				try {
					if (partitions == null) {
						partitions = assign(consumer);
						if (partitions == null) {
							pause();
							continue;
						}
						round = 0;
					}
					if (target == null) {
						synchronized (this.lock) {
							if (this.requested > this.started) {
								round = this.requested;
							}
						}
						// Until the first load completes, every pass takes the end
						// offsets again: a load whose end offsets could not be read
						// (a partition without a leader yet) is retried, not left idle.
						if (!this.loaded || round > this.started) {
							target = endOffsets(admin, partitions);
							synchronized (this.lock) {
								this.started = Math.max(this.started, round);
							}
						}
					}
					if (target == null || !caughtUp(consumer, target)) {
						poll(consumer, target == null);
					}
					updatePosition(consumer, partitions);
					if (target != null && caughtUp(consumer, target)) {
						complete(round);
						target = null;
					}
					warned = false;
				}
				catch (WakeupException ex) {
					// a sync woke an idle poll, or the follower is stopping: the loop
					// decides
				}
				catch (KafkaException ex) {
					if (!warned) {
						logger.warn("{}: cannot read {} for now ({}); {}", this.name, this.topic, ex.toString(),
								this.loaded ? "what was read stays in force" : "not loaded yet");
						warned = true;
					}
					pause();
				}
			}
		}
		catch (WakeupException ex) {
			// closing while stopping
		}
	}

	/**
	 * The end offsets (high watermarks) of the partitions, asked over the admin client's
	 * connection.
	 */
	private static Map<TopicPartition, Long> endOffsets(Admin admin, List<TopicPartition> partitions) {
		Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
		partitions.forEach((partition) -> latest.put(partition, OffsetSpec.latest()));
		try {
			Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> offsets = admin.listOffsets(latest)
				.all()
				.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			Map<TopicPartition, Long> ends = new HashMap<>();
			offsets.forEach((partition, info) -> ends.put(partition, info.offset()));
			return ends;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptException(ex);
		}
		catch (ExecutionException | TimeoutException ex) {
			throw new KafkaException("could not read the end offsets: " + ex, ex);
		}
	}

	private void poll(KafkaConsumer<String, byte[]> consumer, boolean idle) {
		synchronized (this.lock) {
			if (idle && this.requested > this.started) {
				return;
			}
			this.idle = idle;
		}
		try {
			for (ConsumerRecord<String, byte[]> record : consumer.poll(idle ? IDLE_POLL : SYNC_POLL)) {
				try {
					this.handler.accept(record);
				}
				catch (RuntimeException ex) {
					logger.error("{}: record {} at {}-{}@{} could not be applied; skipped", this.name, record.key(),
							record.topic(), record.partition(), record.offset(), ex);
				}
			}
		}
		finally {
			synchronized (this.lock) {
				this.idle = false;
			}
		}
	}

	private void updatePosition(KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions) {
		long position = (partitions.size() == 1) ? consumer.position(partitions.get(0), CALL_TIMEOUT) : NO_POSITION;
		if (position != this.position) {
			synchronized (this.lock) {
				this.position = position;
				this.lock.notifyAll();
			}
		}
	}

	private void complete(long round) {
		if (!this.loaded) {
			this.loaded = true;
			logger.info("{}: {} loaded up to offset {}", this.name, this.topic, this.position);
		}
		synchronized (this.lock) {
			this.completed = Math.max(this.completed, round);
			this.syncStalled = false;
			this.lock.notifyAll();
		}
	}

	/**
	 * Assigns every partition from its beginning; {@code null} while the topic is
	 * missing.
	 */
	private @Nullable List<TopicPartition> assign(KafkaConsumer<String, byte[]> consumer) {
		List<PartitionInfo> infos = consumer.partitionsFor(this.topic, CALL_TIMEOUT);
		if (infos == null || infos.isEmpty()) {
			return null;
		}
		List<TopicPartition> partitions = infos.stream()
			.map((info) -> new TopicPartition(info.topic(), info.partition()))
			.toList();
		if (partitions.size() > 1) {
			logger.warn("{}: {} has {} partitions; positions need one, so readers of other services are not waited for",
					this.name, this.topic, partitions.size());
		}
		consumer.assign(partitions);
		consumer.seekToBeginning(partitions);
		return partitions;
	}

	private static boolean caughtUp(KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> ends) {
		for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
			if (consumer.position(end.getKey(), CALL_TIMEOUT) < end.getValue()) {
				return false;
			}
		}
		return true;
	}

	private void pause() {
		try {
			Thread.sleep(RETRY_PAUSE);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.running = false;
		}
	}

}
