package io.stockade.server.command;

/**
 * A write to the world as every facade ({@code /v1}, the Neutron facade, the import) parses it
 * from its own request: records of typed fields, already read and checked for form. What needs
 * the world (names to resolve, rule text naming groups, quotas, who may do it) is the
 * operation's, which turns a command and the current world into the change it makes or a
 * {@link Refusal}.
 *
 * <p>Server-side rather than in {@code core}: a command names objects by the tokens callers
 * give (an id, a unique name, a Neutron UUID), resolved by the server's {@code Resolve} for one
 * caller, and carries API spellings kept for display ({@code Rule.AsGiven}); core's model has
 * neither callers nor tokens.
 */
public sealed interface Command permits GroupCommand, VnicCommand, IpSetCommand, AdminCommand, ImportCommand, TagCommand {}
