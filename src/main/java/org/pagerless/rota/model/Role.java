package org.pagerless.rota.model;

/** A job someone holds on the rota, e.g. "Medical Registrar On-Call", with its bleep number. */
public record Role(String id, String name, String specialty, String bleep) {
}
