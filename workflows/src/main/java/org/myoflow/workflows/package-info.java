/**
 * The orchestration contract: event records and their JSON, Temporal workflow and activity interfaces, workflow
 * implementations (deterministic code only), the Kafka to Temporal starter, and the task-queue names.
 */
package org.myoflow.workflows;
