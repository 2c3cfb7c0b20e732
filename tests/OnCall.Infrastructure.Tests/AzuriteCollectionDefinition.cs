using OnCall.TestSupport;

namespace OnCall.Infrastructure.Tests;

[CollectionDefinition(StorageTests.Collection)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteFixture>;
