using BenchmarkDotNet.Attributes;
using NodaTime;
using NodaTime.TimeZones;
using OnCall.Core.Rotations;

namespace OnCall.Benchmarks;

/// <summary>
/// 100 rotations × 2 daily layers × 1 year of shifts, against a baseline that does only the NodaTime
/// local→instant conversions those shifts need. The Ratio column is the cost of everything else.
/// </summary>
[MemoryDiagnoser]
public class ShiftExpansionBenchmarks
{
    private static readonly string[] Zones =
    [
        "America/New_York", "Europe/Berlin", "Australia/Lord_Howe", "Asia/Kolkata", "America/Los_Angeles",
        "Europe/London", "Asia/Tokyo", "America/Sao_Paulo", "Pacific/Auckland", "Africa/Cairo",
    ];

    private static readonly ZoneLocalMappingResolver Resolver =
        Resolvers.CreateMappingResolver(Resolvers.ReturnEarlier, Resolvers.ReturnStartOfIntervalAfter);

    private readonly List<Rotation> _rotations = [];
    private readonly List<(LocalDateTime First, DateTimeZone Zone)> _layers = [];
    private Instant _from;
    private Instant _to;

    [GlobalSetup]
    public void Setup()
    {
        var created = Instant.FromUtc(2026, 1, 1, 0, 0);
        for (var i = 0; i < 100; i++)
        {
            var zone = Zones[i % Zones.Length];
            var members = Enumerable.Range(0, 5).Select(m => new Member($"Member {m}", $"m{m}@example.com")).ToList();
            var settings = new RotationSettings(
                $"r{i}", $"Rotation {i}", DateTimeZoneProviders.Tzdb[zone], new Supervisor("Dana", "dana@example.com"),
                RotationSettings.DefaultHandoffGrace, null, RotationSettings.DefaultHorizon,
                [
                    new LayerDefinition("primary", members, Period.FromDays(1), new LocalTime(10, 0), new LocalDate(2026, 1, 5), Period.Zero),
                    new LayerDefinition("secondary", members, Period.FromDays(1), new LocalTime(10, 0), new LocalDate(2026, 1, 5), Period.FromHours(12)),
                ]);
            RotationRules.Validate(settings);
            var rotation = Rotation.Create(settings, "hash", created);
            _rotations.Add(rotation);
            foreach (var layer in rotation.Settings.Layers)
            {
                _layers.Add((layer.FirstHandoff, rotation.Settings.TimeZone));
            }
        }

        _from = Instant.FromUtc(2026, 2, 1, 0, 0);
        _to = _from + Duration.FromDays(365);
    }

    /// <summary>Each daily handoff of the year, converted from local time to an instant: nothing else.</summary>
    [Benchmark(Baseline = true)]
    public long ZoneConversionsOnly()
    {
        long checksum = 0;
        foreach (var (first, zone) in _layers)
        {
            // The same handoffs Expand visits: the one before the range, every one in it, and the one after.
            var start = (int)Period.Between(first.Date, _from.InZone(zone).Date, PeriodUnits.Days).Days - 1;
            for (var n = start; n <= start + 367; n++)
            {
                checksum += first.PlusDays(n).InZone(zone, Resolver).ToInstant().ToUnixTimeTicks();
            }
        }

        return checksum;
    }

    [Benchmark]
    public long ExpandShifts()
    {
        long checksum = 0;
        foreach (var rotation in _rotations)
        {
            foreach (var shift in ShiftExpander.Expand(rotation, [], _from, _to))
            {
                checksum += shift.Start.ToUnixTimeTicks();
            }
        }

        return checksum;
    }
}
