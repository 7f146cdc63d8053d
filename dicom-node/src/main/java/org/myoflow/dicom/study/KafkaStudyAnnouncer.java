package org.myoflow.dicom.study;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.myoflow.workflows.events.EventJson;
import org.myoflow.workflows.events.ReviewedLabelReceived;
import org.myoflow.workflows.events.StudyReceived;
import org.myoflow.workflows.events.Topics;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Publishes {@link StudyReceived} on {@link Topics#STUDY_RECEIVED}: idempotent producer, acks=all, key = study UID. */
public final class KafkaStudyAnnouncer implements AutoCloseable {
    private final KafkaProducer<String, byte[]> producer;
    private final Duration ackTimeout;

    public KafkaStudyAnnouncer(String bootstrapServers, Duration ackTimeout) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "myoflow-dicom-node");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 0);
        p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) ackTimeout.toMillis());
        p.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, (int) ackTimeout.toMillis());
        p.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(ackTimeout.toMillis(), 10_000));
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
        this.ackTimeout = ackTimeout;
    }

    /** Returns once the broker acknowledged the event (all in-sync replicas); throws otherwise. */
    public void announce(StudyReceived event) throws ExecutionException, TimeoutException, InterruptedException {
        producer.send(new ProducerRecord<>(Topics.STUDY_RECEIVED, event.studyInstanceUid(), EventJson.toBytes(event)))
                .get(ackTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    /** A reviewed label that came back, on {@link Topics#LABEL_REVIEWED}; returns once acknowledged. */
    public void announce(ReviewedLabelReceived event) throws ExecutionException, TimeoutException,
            InterruptedException {
        producer.send(new ProducerRecord<>(Topics.LABEL_REVIEWED, event.studyInstanceUid(), EventJson.toBytes(event)))
                .get(ackTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(5));
    }
}
