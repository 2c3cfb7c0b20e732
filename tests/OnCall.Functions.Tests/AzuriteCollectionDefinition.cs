using OnCall.TestSupport;

namespace OnCall.Functions.Tests;

[CollectionDefinition(StorageTests.Collection)]
public sealed class AzuriteCollectionDefinition : ICollectionFixture<AzuriteFixture>;
