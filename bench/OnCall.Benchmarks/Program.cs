using BenchmarkDotNet.Running;

BenchmarkSwitcher.FromAssembly(typeof(OnCall.Benchmarks.ShiftExpansionBenchmarks).Assembly).Run(args);
