/**
 * The rota administration's tables as Hibernate Reactive with Panache entities (ADR 0006): one class per table, fields
 * named after the columns. Flyway owns the schema (src/main/resources/db/migration); Hibernate creates, alters and
 * validates nothing. Only the rota's stores use these; the in-memory rota ({@code ReferenceData}), the task processor
 * and the timers read the same tables over JDBC.
 */
package org.pagerless.rota.rows;
