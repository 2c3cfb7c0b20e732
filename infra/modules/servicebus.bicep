// Outbound domain events (handoff.missed, incident.opened …) go to one topic; other systems subscribe to it.
// Local (SAS) auth is off: the app sends with its managed identity.

import { tagSet } from 'types.bicep'

@description('Azure region.')
param location string

@description('Namespace name, unique in Azure (6 to 50 letters, digits and hyphens).')
@minLength(6)
@maxLength(50)
param name string

param tags tagSet

@description('The topic the app publishes to.')
param topicName string

@description('An example subscription on the topic, receiving every event.')
param subscriptionName string

resource namespace 'Microsoft.ServiceBus/namespaces@2024-01-01' = {
  name: name
  location: location
  tags: tags
  // Topics need the Standard tier.
  sku: {
    name: 'Standard'
    tier: 'Standard'
  }
  properties: {
    disableLocalAuth: true
    minimumTlsVersion: '1.2'
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2024-01-01' = {
  parent: namespace
  name: topicName
  properties: {
    defaultMessageTimeToLive: 'P14D'
    requiresDuplicateDetection: true
    duplicateDetectionHistoryTimeWindow: 'PT10M'
  }
}

resource subscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2024-01-01' = {
  parent: topic
  name: subscriptionName
  properties: {
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
  }
}

output name string = namespace.name
output topicId string = topic.id
output topicName string = topic.name
output subscriptionName string = subscription.name
// e.g. sb-oncall-dev-abc.servicebus.windows.net, from https://sb-oncall-dev-abc.servicebus.windows.net:443/
output fullyQualifiedNamespace string = split(replace(namespace.properties.serviceBusEndpoint, 'https://', ''), ':')[0]
