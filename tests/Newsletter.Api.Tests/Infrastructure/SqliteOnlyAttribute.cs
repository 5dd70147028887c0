using Xunit.Abstractions;
using Xunit.Sdk;

namespace Newsletter.Api.Tests.Infrastructure;

/// <summary>
/// Marks a test (or a class of them) that reads the SQLite file directly, so it means nothing on
/// PostgreSQL. It is the trait <c>Database=SqliteOnly</c>: the PostgreSQL run filters with
/// <c>--filter "Database!=SqliteOnly"</c>.
/// </summary>
[TraitDiscoverer("Newsletter.Api.Tests.Infrastructure.SqliteOnlyDiscoverer", "Newsletter.Api.Tests")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class SqliteOnlyAttribute : Attribute, ITraitAttribute
{
    public const string Trait = "Database";
    public const string Value = "SqliteOnly";
}

public sealed class SqliteOnlyDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(SqliteOnlyAttribute.Trait, SqliteOnlyAttribute.Value)];
}

/// <summary>
/// Marks a test that runs on PostgreSQL whatever the run's engine (several instances sharing one
/// database exist only there). The trait <c>Database=PostgresOnly</c>: the SQLite run leaves it to
/// the PostgreSQL run with <c>--filter "Database!=PostgresOnly"</c>, so it runs once.
/// </summary>
[TraitDiscoverer("Newsletter.Api.Tests.Infrastructure.PostgresOnlyDiscoverer", "Newsletter.Api.Tests")]
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class PostgresOnlyAttribute : Attribute, ITraitAttribute
{
    public const string Value = "PostgresOnly";
}

public sealed class PostgresOnlyDiscoverer : ITraitDiscoverer
{
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute) =>
        [new(SqliteOnlyAttribute.Trait, PostgresOnlyAttribute.Value)];
}
