'use strict';

/** @type {import('sequelize-cli').Migration} */
module.exports = {
  async up(queryInterface, Sequelize) {
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.createTable(
        'organizers',
        {
          id: {
            type: Sequelize.INTEGER,
            primaryKey: true,
            autoIncrement: true,
          },
          email: { type: Sequelize.STRING(320), allowNull: false, unique: true },
          display_name: { type: Sequelize.STRING(120), allowNull: false },
          is_active: { type: Sequelize.BOOLEAN, allowNull: false, defaultValue: 1 },
          created_at: { type: Sequelize.DATE, allowNull: false },
          updated_at: { type: Sequelize.DATE, allowNull: false },
        },
        { transaction },
      );
      await queryInterface.createTable(
        'events',
        {
          id: {
            type: Sequelize.INTEGER,
            primaryKey: true,
            autoIncrement: true,
          },
          organizer_id: {
            type: Sequelize.INTEGER,
            allowNull: false,
            references: { model: 'organizers', key: 'id' },
            onUpdate: 'CASCADE',
            onDelete: 'RESTRICT',
          },
          title: { type: Sequelize.STRING(200), allowNull: false },
          slug: { type: Sequelize.STRING(200), allowNull: false },
          status: {
            type: Sequelize.ENUM('draft', 'published', 'cancelled'),
            allowNull: false,
            defaultValue: 'draft',
          },
          starts_at: { type: Sequelize.DATE, allowNull: false },
          capacity: { type: Sequelize.INTEGER, allowNull: false, defaultValue: 100 },
          created_at: { type: Sequelize.DATE, allowNull: false },
          updated_at: { type: Sequelize.DATE, allowNull: false },
        },
        { transaction },
      );
      await queryInterface.createTable(
        'tags',
        {
          id: {
            type: Sequelize.INTEGER,
            primaryKey: true,
            autoIncrement: true,
          },
          name: { type: Sequelize.STRING(40), allowNull: false, unique: true },
        },
        { transaction },
      );
      await queryInterface.createTable(
        'event_tags',
        {
          event_id: {
            type: Sequelize.INTEGER,
            primaryKey: true,
            allowNull: false,
            references: { model: 'events', key: 'id' },
            onUpdate: 'CASCADE',
            onDelete: 'CASCADE',
          },
          tag_id: {
            type: Sequelize.INTEGER,
            primaryKey: true,
            allowNull: false,
            references: { model: 'tags', key: 'id' },
            onUpdate: 'CASCADE',
            onDelete: 'CASCADE',
          },
        },
        { transaction },
      );
      await queryInterface.createTable(
        'organizer_profiles',
        {
          id: {
            type: Sequelize.INTEGER,
            primaryKey: true,
            autoIncrement: true,
          },
          organizer_id: {
            type: Sequelize.INTEGER,
            allowNull: false,
            unique: true,
            references: { model: 'organizers', key: 'id' },
            onUpdate: 'CASCADE',
            onDelete: 'CASCADE',
          },
          bio: { type: Sequelize.TEXT },
          website: { type: Sequelize.STRING(2048) },
        },
        { transaction },
      );
      await queryInterface.createTable(
        'tickets',
        {
          id: {
            type: Sequelize.INTEGER,
            primaryKey: true,
            autoIncrement: true,
          },
          event_id: {
            type: Sequelize.INTEGER,
            allowNull: false,
            references: { model: 'events', key: 'id' },
            onUpdate: 'CASCADE',
            onDelete: 'CASCADE',
          },
          seat: { type: Sequelize.STRING(12), allowNull: false },
          code: { type: Sequelize.UUID, allowNull: false },
          price: { type: Sequelize.DECIMAL(10, 2), allowNull: false },
          holder_email: { type: Sequelize.STRING(320), allowNull: false },
          created_at: { type: Sequelize.DATE, allowNull: false },
          updated_at: { type: Sequelize.DATE, allowNull: false },
          deleted_at: { type: Sequelize.DATE },
        },
        { transaction },
      );
      await queryInterface.addIndex('events', ['slug'], { unique: true, transaction });
      await queryInterface.addIndex('events', ['organizer_id', 'starts_at'], { transaction });
      await queryInterface.addIndex('tickets', ['event_id', 'seat'], {
        unique: true,
        transaction,
      });
    });
  },

  async down(queryInterface, Sequelize) {
    // Going down: You are about to drop the `organizers` table. If the table is not empty, all the data it contains will be lost.
    // Going down: You are about to drop the `events` table. If the table is not empty, all the data it contains will be lost.
    // Going down: You are about to drop the `tags` table. If the table is not empty, all the data it contains will be lost.
    // Going down: You are about to drop the `event_tags` table. If the table is not empty, all the data it contains will be lost.
    // Going down: You are about to drop the `organizer_profiles` table. If the table is not empty, all the data it contains will be lost.
    // Going down: You are about to drop the `tickets` table. If the table is not empty, all the data it contains will be lost.
    await queryInterface.sequelize.transaction(async (transaction) => {
      await queryInterface.dropTable('event_tags', { transaction });
      await queryInterface.dropTable('organizer_profiles', { transaction });
      await queryInterface.dropTable('tickets', { transaction });
      await queryInterface.dropTable('events', { transaction });
      await queryInterface.dropTable('tags', { transaction });
      await queryInterface.dropTable('organizers', { transaction });
    });
  },
};
