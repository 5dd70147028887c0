using System.Runtime.CompilerServices;
using Microsoft.Extensions.Options;

namespace Newsletter.Core.Options;

/// <summary>Which engine holds the service's data: one SQLite file (the default) or a PostgreSQL database several instances share.</summary>
public enum DatabaseProvider { Sqlite, Postgres }

/// <summary>Database:Provider, with the connection string ConnectionStrings:Newsletter it goes with.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public const string ConnectionStringKey = "ConnectionStrings:Newsletter";

    /// <summary>Text, not the enum, so that a wrong value is refused by the validator with one line, not a binding exception.</summary>
    public string Provider { get; set; } = nameof(DatabaseProvider.Sqlite);

    public string? ConnectionString { get; set; }

    /// <summary>The provider named, or null if the text names none.</summary>
    public DatabaseProvider? Kind => Enum.TryParse<DatabaseProvider>(Provider, ignoreCase: true, out var kind) && Enum.IsDefined(kind) ? kind : null;
}

/// <summary>A provider that exists, and for PostgreSQL a connection string Npgsql can read.</summary>
public sealed class DatabaseOptionsValidator : IValidateOptions<DatabaseOptions>
{
    public ValidateOptionsResult Validate(string? name, DatabaseOptions options)
    {
        if (options.Kind is not { } kind)
            return ValidateOptionsResult.Fail($"{Section}:Provider '{options.Provider}' is neither Sqlite nor Postgres.");
        if (kind == DatabaseProvider.Sqlite)
        {
            try
            {
                _ = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(options.ConnectionString);
                return ValidateOptionsResult.Success;
            }
            catch (ArgumentException)
            {
                // The likely slip: an Npgsql string without Database:Provider=Postgres.
                return ValidateOptionsResult.Fail($"{DatabaseOptions.ConnectionStringKey} is not a SQLite connection string (Data Source=...); for PostgreSQL set {Section}:Provider to Postgres.");
            }
        }
        return ValidatePostgres(options.ConnectionString);
    }

    // Its own method, never inlined: compiling a method that names an Npgsql type loads Npgsql,
    // which a SQLite service has no use for.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static ValidateOptionsResult ValidatePostgres(string? connectionString)
    {
        if (string.IsNullOrWhiteSpace(connectionString))
            return ValidateOptionsResult.Fail($"{DatabaseOptions.ConnectionStringKey} must be an Npgsql connection string (Host=...;Database=...;Username=...) when {Section}:Provider is Postgres.");
        try
        {
            var builder = new Npgsql.NpgsqlConnectionStringBuilder(connectionString);
            return string.IsNullOrEmpty(builder.Host)
                ? ValidateOptionsResult.Fail($"{DatabaseOptions.ConnectionStringKey} names no Host; with {Section}:Provider Postgres it is an Npgsql connection string.")
                : ValidateOptionsResult.Success;
        }
        catch (ArgumentException e)
        {
            return ValidateOptionsResult.Fail($"{DatabaseOptions.ConnectionStringKey} is not an Npgsql connection string: {e.Message}");
        }
    }

    private const string Section = DatabaseOptions.Section;
}
